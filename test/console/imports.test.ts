import { utils, write } from '@e965/xlsx';
import { checkColumns, columnsUsable } from '../../console/src/imports/columns';
import { convertRows } from '../../console/src/imports/convert';
import { decodeText } from '../../console/src/imports/decode';
import { IMPORT_KINDS, type ImportKindId } from '../../console/src/imports/kinds';
import {
  excelSerialText,
  isDateFormat,
  readCsv,
  readTable,
  readXlsx,
  TableError,
} from '../../console/src/imports/table';
import {
  booleanValue,
  dateValue,
  fenValue,
  instantValue,
  integerValue,
  sectionsValue,
} from '../../console/src/imports/values';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** GBK bytes of `text`, from the platform's own GBK decoder run backwards over every two-byte code. */
function gbk(text: string): Uint8Array {
  const decoder = new TextDecoder('gbk');
  const table = new Map<string, number[]>();
  for (let lead = 0x81; lead <= 0xfe; lead += 1)
    for (let trail = 0x40; trail <= 0xfe; trail += 1) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (!table.has(ch)) table.set(ch, [lead, trail]);
    }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x80) bytes.push(code);
    else {
      const pair = table.get(ch);
      if (pair === undefined) throw new Error(`no GBK code for ${ch}`);
      bytes.push(...pair);
    }
  }
  return new Uint8Array(bytes);
}

const DRIVER_HEADER = '身份证号,姓名,准驾车型,初次领证日期,有效期止,驾驶证状态,累积记分';
const DRIVER_LINE = '450103199001011234,李明,C1,2015-06-01,2031-06-01,有效,3';

describe('decoding a CSV file', () => {
  it('reads UTF-8 with the BOM Excel writes, and drops the BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(`${DRIVER_HEADER}\n${DRIVER_LINE}\n`)]);
    const decoded = decodeText(bytes);
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.text.startsWith('身份证号')).toBe(true);
    const table = readCsv(bytes);
    expect(table.headers[0]).toBe('身份证号');
    expect(table.rows).toEqual([{ line: 2, cells: DRIVER_LINE.split(',') }]);
  });

  it('reads UTF-8 without a BOM', () => {
    expect(decodeText(utf8('姓名\n南宁')).encoding).toBe('utf-8');
    expect(readCsv(utf8('姓名\n南宁')).rows[0]?.cells).toEqual(['南宁']);
  });

  it('reads GBK (Excel on a Chinese Windows) when the bytes are not valid UTF-8', () => {
    const bytes = gbk(`${DRIVER_HEADER}\r\n${DRIVER_LINE}\r\n`);
    expect(decodeText(bytes).encoding).toBe('gbk');
    const table = readCsv(bytes);
    expect(table.source).toBe('gbk');
    expect(table.headers).toEqual(DRIVER_HEADER.split(','));
    expect(table.rows[0]?.cells[1]).toBe('李明');
  });

  it('decodes an empty file as empty UTF-8, and refuses a file without data', () => {
    expect(decodeText(new Uint8Array([]))).toEqual({ text: '', encoding: 'utf-8' });
    expect(() => readCsv(new Uint8Array([]))).toThrow(TableError);
    expect(() => readCsv(utf8('\n\n,,\n'))).toThrow('文件中没有数据。');
  });

  it('numbers rows as Excel does: blank rows skipped but counted, a quoted line break stays in its row', () => {
    const table = readCsv(utf8('\n标题,摘要\n"a\nb",x\n\n c ,y\n'));
    expect(table.headers).toEqual(['标题', '摘要']);
    expect(table.rows).toEqual([
      { line: 3, cells: ['a\nb', 'x'] },
      { line: 5, cells: [' c ', 'y'] },
    ]);
  });

  it('chooses the reader by the file name', () => {
    expect(readTable('司机.CSV', utf8('姓名\n李明')).rows).toHaveLength(1);
    expect(() => readTable('drivers.pdf', utf8('x'))).toThrow('只支持 CSV');
    expect(() => readTable('broken.xlsx', utf8('not a workbook'))).toThrow(TableError);
  });
});

function workbookBytes(rows: unknown[][], formats: Record<string, string>, date1904 = false): Uint8Array {
  const sheet = utils.aoa_to_sheet(rows);
  for (const [address, format] of Object.entries(formats)) {
    const cell = sheet[address] as { z?: string } | undefined;
    if (cell !== undefined) cell.z = format;
  }
  const book = utils.book_new();
  utils.book_append_sheet(book, sheet, '驾驶人');
  if (date1904) book.Workbook = { WBProps: { date1904: true } };
  return new Uint8Array(write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
}

describe('Excel files', () => {
  it('turns date serials into ISO dates and Asia/Shanghai instants', () => {
    const bytes = workbookBytes(
      [
        ['身份证号', '初次领证日期', '违法时间', '记分'],
        ['450103199001011234', 42156, 45717.3368634259, 3],
      ],
      { B2: 'yyyy-mm-dd', C2: 'yyyy-mm-dd hh:mm:ss' },
    );
    const table = readXlsx(bytes);
    expect(table.source).toBe('xlsx');
    expect(table.rows).toEqual([
      { line: 2, cells: ['450103199001011234', '2015-06-01', '2025-03-01T08:05:05+08:00', '3'] },
    ]);
  });

  it('knows date formats from number formats', () => {
    expect(isDateFormat('yyyy"年"m"月"d"日"')).toBe(true);
    expect(isDateFormat('m/d/yy')).toBe(true);
    expect(isDateFormat('[$-804]yyyy/m/d')).toBe(true);
    expect(isDateFormat('[h]:mm')).toBe(true);
    expect(isDateFormat('0.00')).toBe(false);
    expect(isDateFormat('[Red]0')).toBe(false);
    expect(isDateFormat('"元"#,##0')).toBe(false);
    expect(isDateFormat('General')).toBe(false);
    expect(isDateFormat('@')).toBe(false);
  });

  it('counts serials as Excel does around its phantom 1900-02-29 and in the 1904 system', () => {
    expect(excelSerialText(1, false, false)).toBe('1900-01-01');
    expect(excelSerialText(59, false, false)).toBe('1900-02-28');
    expect(excelSerialText(61, false, false)).toBe('1900-03-01');
    expect(excelSerialText(45717, false, false)).toBe('2025-03-01');
    expect(excelSerialText(45717.5, false, false)).toBe('2025-03-01T12:00:00+08:00');
    expect(excelSerialText(45717, false, true)).toBe('2025-03-01T00:00:00+08:00');
    // 23:59:59.9 rounds to the next midnight
    expect(excelSerialText(45717.999999, false, false)).toBe('2025-03-02');
    expect(excelSerialText(0, true, false)).toBe('1904-01-01');
    expect(excelSerialText(44255, true, false)).toBe('2025-03-01');
    expect(excelSerialText(0.25, false, true)).toBe('06:00:00');
  });

  it('reads a 1904-system workbook and keeps the sheet row numbers', () => {
    const sheet = workbookBytes(
      [
        ['姓名', '有效期止'],
        ['李明', 44255],
      ],
      { B2: 'yyyy/m/d' },
      true,
    );
    expect(readXlsx(sheet).rows).toEqual([{ line: 2, cells: ['李明', '2025-03-01'] }]);
  });
});

describe('columns', () => {
  const fields = IMPORT_KINDS.violations.fields;

  it('match Chinese labels, English keys and aliases regardless of case, width and spacing', () => {
    const check = checkColumns(fields, [
      '违法编号',
      'PLATE',
      'plate_type',
      '违法时间 ',
      '地点',
      'behaviour',
      '罚款金额（元）',
      '扣分',
      '来源',
      '状态',
      '备注',
    ]);
    expect(check.missing).toEqual([]);
    expect(check.unknown).toEqual(['备注']);
    expect(check.columns.get('plateType')).toBe(2);
    expect(check.columns.get('fine')).toBe(6);
    expect([...check.yuan]).toEqual(['fine']);
    expect(columnsUsable(check)).toBe(true);
  });

  it('name the required columns that are missing and refuse a field given twice', () => {
    const check = checkColumns(IMPORT_KINDS.drivers.fields, ['姓名', '身份证号', 'name', '']);
    expect(check.missing.map((f) => f.label)).toEqual([
      '准驾车型',
      '初次领证日期',
      '有效期止',
      '驾驶证状态',
      '累积记分',
    ]);
    expect(check.repeated).toEqual(['name']);
    expect(columnsUsable(check)).toBe(false);
  });

  it('treat a file of the wrong kind as missing everything', () => {
    const check = checkColumns(IMPORT_KINDS.offices.fields, DRIVER_HEADER.split(','));
    expect(check.missing).toHaveLength(IMPORT_KINDS.offices.fields.filter((f) => f.required).length);
    expect(check.unknown).toHaveLength(7);
  });
});

describe('cell values', () => {
  it('read dates in the forms offices write them', () => {
    expect(dateValue('2025-03-01')).toBe('2025-03-01');
    expect(dateValue('2025/3/1')).toBe('2025-03-01');
    expect(dateValue('2025.03.01')).toBe('2025-03-01');
    expect(dateValue('2025年3月1日')).toBe('2025-03-01');
    expect(dateValue('2025-03-01T00:00:00+08:00')).toBe('2025-03-01');
    expect(dateValue('2025-02-29')).toBeNull();
    expect(dateValue('2025-13-01')).toBeNull();
    expect(dateValue('')).toBeNull();
    expect(dateValue('45717')).toBeNull();
  });

  it('read instants as Asia/Shanghai when they carry no offset', () => {
    expect(instantValue('2025-03-01 08:05:09')).toBe('2025-03-01T08:05:09+08:00');
    expect(instantValue('2025/3/1 8:05')).toBe('2025-03-01T08:05:00+08:00');
    expect(instantValue('2025-03-01T00:05:09Z')).toBe('2025-03-01T08:05:09+08:00');
    expect(instantValue('2025年3月1日 8时5分')).toBe('2025-03-01T08:05:00+08:00');
    expect(instantValue('2025-03-01 08:05:09.25', true)).toBe('2025-03-01T08:05:09.250+08:00');
    expect(instantValue('2025-03-01T00:05:09Z', true)).toBe('2025-03-01T08:05:09.000+08:00');
    expect(instantValue('2025-03-01 08:05:09.25')).toBe('2025-03-01T08:05:09+08:00');
    expect(instantValue('2025-03-01')).toBeNull();
    expect(instantValue('2025-03-01 24:00')).toBeNull();
  });

  it('read yes/no, whole numbers and money at their edges', () => {
    expect(booleanValue('是')).toBe(true);
    expect(booleanValue('TRUE')).toBe(true);
    expect(booleanValue('')).toBe(false);
    expect(booleanValue('否')).toBe(false);
    expect(booleanValue('也许')).toBeNull();
    expect(integerValue('0')).toBe(0);
    expect(integerValue('1,000')).toBe(1000);
    expect(integerValue('3.0')).toBe(3);
    expect(integerValue('3.5')).toBeNull();
    expect(integerValue('9007199254740993')).toBeNull();
    expect(fenValue('20000', false)).toBe(20000);
    expect(fenValue('200', true)).toBe(20000);
    expect(fenValue('200.5', true)).toBe(20050);
    expect(fenValue('0.01', true)).toBe(1);
    expect(fenValue('200.505', true)).toBeNull();
    expect(fenValue('200.5', false)).toBeNull();
    expect(fenValue('-1', true)).toBeNull();
  });

  it('read guide sections as lines or JSON', () => {
    expect(sectionsValue('所需材料：身份证；驾驶证\n办理地点：各车管所')).toEqual([
      { heading: '所需材料', items: ['身份证', '驾驶证'] },
      { heading: '办理地点', items: ['各车管所'] },
    ]);
    expect(sectionsValue('[{"heading":"材料","items":["身份证"]}]')).toEqual([{ heading: '材料', items: ['身份证'] }]);
    expect(sectionsValue('[{"heading":"材料","items":[1]}]')).toBeNull();
    expect(sectionsValue('[oops')).toBeNull();
    expect(sectionsValue('没有冒号的一行')).toBeNull();
    expect(sectionsValue('')).toBeNull();
  });
});

describe('rows', () => {
  it('become contract rows, with each bad cell reported on its own row number and field', () => {
    const csv = [
      '违法编号,号牌号码,违法时间,违法地点,违法行为,罚款金额（元）,记分,采集方式,处理状态,有异议,违法代码,抓拍照片,缴款时间',
      'V1,桂A12345,2025/3/1 8:05,民族大道,超速,200,6,电子监控,未处理,,1352,cloud://env.b/1.jpg;cloud://env.b/2.jpg',
      'V2,桂AD12345,2025-03-02 09:00:00,友爱路,闯红灯,200.5,6,现场,已缴款,是,,,2025-03-05 10:00',
      'V3,桂A12345,昨天,民族大道,超速,200,6,电子监控,未处理,,,',
      'V4,桂A12345,2025-03-01 08:05,民族大道,超速,200,6,无人机,未处理,,,',
      'V1,桂A12345,2025-03-01 08:05,民族大道,超速,200,6,电子监控,未处理,,,',
    ].join('\n');
    const table = readCsv(utf8(csv));
    const kind = IMPORT_KINDS.violations;
    const { rows, issues } = convertRows(kind, table, checkColumns(kind.fields, table.headers));
    expect(rows).toEqual([
      {
        line: 2,
        row: {
          violationId: 'V1',
          plate: '桂A12345',
          plateType: '02',
          occurredAt: '2025-03-01T08:05:00+08:00',
          place: '民族大道',
          behaviour: '超速',
          fine: 20000,
          points: 6,
          source: 'camera',
          status: 'unprocessed',
          disputed: false,
          code: '1352',
          photos: ['cloud://env.b/1.jpg', 'cloud://env.b/2.jpg'],
        },
      },
      {
        line: 3,
        row: {
          violationId: 'V2',
          plate: '桂AD12345',
          plateType: '52',
          occurredAt: '2025-03-02T09:00:00+08:00',
          place: '友爱路',
          behaviour: '闯红灯',
          fine: 20050,
          points: 6,
          source: 'onsite',
          status: 'paid',
          disputed: true,
          paidAt: '2025-03-05T10:00:00+08:00',
        },
      },
    ]);
    expect(issues).toEqual([
      {
        line: 4,
        field: 'occurredAt',
        code: 'INVALID_ARGUMENT',
        message: '违法时间“昨天”不是日期和时间（如 2025-03-01 08:05:09）。',
      },
      {
        line: 5,
        field: 'source',
        code: 'INVALID_ARGUMENT',
        message: '采集方式“无人机”不在可选值中（电子监控、现场）。',
      },
      { line: 6, code: 'INVALID_ARGUMENT', message: '与第 2 行是同一条记录，本行未导入。' },
    ]);
  });

  it('build each kind from its Chinese template', () => {
    const cases = [
      ['drivers', `${DRIVER_HEADER},线上记分截至\n${DRIVER_LINE},2025-03-01T08:05:09.250+08:00`],
      ['vehicles', '号牌号码,所有人身份证号,所有人姓名,检验有效期止\n桂A12345,450103199001011234,李明,2026/6/30'],
      [
        'offices',
        '网点编号,网点名称,地址,纬度,经度,办公时间,可办业务,电话\nO1,车管所,民族大道1号,22.817,108.3665,9:00-17:00,驾驶证业务、年检,0771-1234567',
      ],
      [
        'tows',
        '拖移编号,号牌号码,拖移时间,停车场名称,停车场地址,纬度,经度,费用（元）,开放时间,停车场电话,状态\nT1,桂A12345,2025-03-01 10:00,一号场,五象大道,22.8,108.4,150,全天,0771-5555555,已拖移',
      ],
      ['guides', '指南编号,标题,摘要,内容,排序,对应业务\nlicence-renewal,换证,到期换证,"材料：身份证；照片",1,驾驶证'],
    ] as const;
    const convert = <K extends ImportKindId>(id: K, csv: string) => {
      const table = readCsv(utf8(csv));
      const kind = IMPORT_KINDS[id];
      const check = checkColumns(kind.fields, table.headers);
      expect(check.missing).toEqual([]);
      return convertRows(kind, table, check);
    };
    const built = cases.map(([id, csv]) => convert(id, csv));
    for (const b of built) expect(b.issues).toEqual([]);
    expect(built.map((b) => b.rows[0]?.row)).toEqual([
      {
        idNumber: '450103199001011234',
        name: '李明',
        licenceClass: 'C1',
        firstIssueDate: '2015-06-01',
        validUntil: '2031-06-01',
        status: 'valid',
        cyclePoints: 3,
        onlinePointsThrough: '2025-03-01T08:05:09.250+08:00',
      },
      {
        plate: '桂A12345',
        plateType: '02',
        ownerIdNumber: '450103199001011234',
        ownerName: '李明',
        inspectionDue: '2026-06-30',
      },
      {
        officeId: 'O1',
        name: '车管所',
        address: '民族大道1号',
        latitude: 22.817,
        longitude: 108.3665,
        hours: '9:00-17:00',
        services: ['licence', 'inspection'],
        status: 'open',
        phone: '0771-1234567',
      },
      {
        towId: 'T1',
        plate: '桂A12345',
        plateType: '02',
        towedAt: '2025-03-01T10:00:00+08:00',
        yardName: '一号场',
        yardAddress: '五象大道',
        latitude: 22.8,
        longitude: 108.4,
        fee: 15000,
        yardHours: '全天',
        yardPhone: '0771-5555555',
        status: 'towed',
      },
      {
        guideId: 'licence-renewal',
        title: '换证',
        summary: '到期换证',
        sections: [{ heading: '材料', items: ['身份证', '照片'] }],
        order: 1,
        officeService: 'licence',
      },
    ]);
  });

  it('handles 10,000 rows of a file in well under a few seconds', () => {
    const lines = [DRIVER_HEADER];
    for (let i = 0; i < 10_000; i += 1)
      lines.push(`45010319900101${String(i).padStart(4, '0')},李明,C1,2015-06-01,2031-06-01,有效,${i % 13}`);
    lines.push('450103199001010001,李明,C1,2015-06-01,2031-06-01,作废,0');
    const started = Date.now();
    const table = readCsv(gbk(lines.join('\r\n')));
    const kind = IMPORT_KINDS.drivers;
    const { rows, issues } = convertRows(kind, table, checkColumns(kind.fields, table.headers));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(table.source).toBe('gbk');
    expect(rows).toHaveLength(10_000);
    expect(rows[9_999]).toEqual({
      line: 10_001,
      row: expect.objectContaining({ idNumber: '450103199001019999', cyclePoints: 9_999 % 13 }) as unknown,
    });
    expect(issues).toEqual([
      { line: 10_002, field: 'status', code: 'INVALID_ARGUMENT', message: expect.stringContaining('作废') as unknown },
    ]);
  });

  it('reports an empty required cell, an undecidable plate type and an unknown service', () => {
    const vehicles = readCsv(utf8('号牌号码,所有人身份证号,所有人姓名\n桂A1234,450103199001011234,\n'));
    const v = convertRows(
      IMPORT_KINDS.vehicles,
      vehicles,
      checkColumns(IMPORT_KINDS.vehicles.fields, vehicles.headers),
    );
    expect(v.issues.map((i) => i.field)).toEqual(['plateType']);
    const offices = readCsv(
      utf8('网点编号,网点名称,地址,纬度,经度,办公时间,可办业务\nO1,a,b,22.8,108.3,全天,驾驶证、洗车\n'),
    );
    const o = convertRows(IMPORT_KINDS.offices, offices, checkColumns(IMPORT_KINDS.offices.fields, offices.headers));
    expect(o.issues).toEqual([
      { line: 2, field: 'services[1]', code: 'INVALID_ARGUMENT', message: '不认识的业务“洗车”。' },
    ]);
    const empty = readCsv(utf8(`${DRIVER_HEADER}\n450103199001011234,,C1,2015-06-01,2031-06-01,有效,3`));
    const d = convertRows(IMPORT_KINDS.drivers, empty, checkColumns(IMPORT_KINDS.drivers.fields, empty.headers));
    expect(d.issues).toEqual([{ line: 2, field: 'name', code: 'INVALID_ARGUMENT', message: '姓名不能为空。' }]);
  });
});
