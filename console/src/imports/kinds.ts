/**
 * The six imports the console sends: for each, its columns (the Chinese header, the English key and other names the
 * police's files use) and how one row of cells becomes the admin contract's row type.
 */
import type {
  DriverRow,
  GuideRow,
  OfficeRow,
  TowRow,
  VehicleRow,
  ViolationRow,
} from '../../../cloudfunctions/_shared/police/contract';
import { LICENCE_STATUSES, type LicenceStatus } from '../../../miniprogram/domain/licence/licence';
import { OFFICE_SERVICES, OFFICE_SERVICE_NAMES, OFFICE_STATUSES } from '../../../miniprogram/domain/guide/offices';
import type { OfficeService, OfficeStatus } from '../../../miniprogram/domain/guide/offices';
import { TOW_STATUSES, type TowStatus } from '../../../miniprogram/domain/tow/tows';
import type { PlateType } from '../../../miniprogram/domain/vehicle/plate';
import {
  VIOLATION_SOURCES,
  VIOLATION_STATUSES,
  type ViolationSource,
  type ViolationStatus,
} from '../../../miniprogram/domain/violation/eligibility';
import {
  booleanValue,
  dateValue,
  fenValue,
  instantValue,
  integerValue,
  listValue,
  numberValue,
  optionValue,
  sectionsValue,
} from './values';

export interface FieldSpec {
  readonly key: string;
  /** The header the console's template uses and error reports name. */
  readonly label: string;
  /** Other headers taken for it (compared without case, spaces, `_`, `-`; see columns.ts). */
  readonly aliases: readonly string[];
  readonly required: boolean;
  /** An amount in fen: a header saying 元 makes the column yuan. */
  readonly money?: true;
  /** How to write it, for the column help. */
  readonly format?: string;
}

/** A cell that cannot be read as its field wants; becomes a row error. */
export class CellProblem extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The cells of one row by field key. */
export interface CellReader {
  /** The cell's text ('' when the column is absent or the cell empty). */
  raw(key: string): string;
  text(key: string): string;
  optionalText(key: string): string | undefined;
  integer(key: string): number;
  number(key: string): number;
  fen(key: string): number;
  boolean(key: string): boolean;
  date(key: string): string;
  optionalDate(key: string): string | undefined;
  instant(key: string): string;
  /** Absent or empty: undefined; `precise` keeps milliseconds. */
  optionalInstant(key: string, precise?: boolean): string | undefined;
  option<T extends string>(key: string, codes: readonly T[], names: Readonly<Record<T, readonly string[]>>): T;
  list(key: string): string[];
  has(key: string): boolean;
}

export interface ImportKind<Row> {
  readonly label: string;
  readonly fields: readonly FieldSpec[];
  readonly build: (cells: CellReader) => Row;
  /** The registry's key: a key twice in one file is reported on its later row. */
  readonly key: (row: Row) => string;
}

export interface ImportRows {
  readonly drivers: DriverRow;
  readonly vehicles: VehicleRow;
  readonly violations: ViolationRow;
  readonly offices: OfficeRow;
  readonly tows: TowRow;
  readonly guides: GuideRow;
}

export type ImportKindId = keyof ImportRows;

const LICENCE_STATUS_NAMES: Readonly<Record<LicenceStatus, readonly string[]>> = {
  valid: ['有效', '正常'],
  expired: ['过期', '已过期', '逾期'],
  revoked: ['吊销', '已吊销', '注销', '已注销'],
  suspended: ['暂扣', '已暂扣'],
};

const SOURCE_NAMES: Readonly<Record<ViolationSource, readonly string[]>> = {
  camera: ['电子监控', '非现场', '电子警察'],
  onsite: ['现场', '现场执法'],
};

const VIOLATION_STATUS_NAMES: Readonly<Record<ViolationStatus, readonly string[]>> = {
  unprocessed: ['未处理'],
  processed: ['已处理', '已处理未缴款'],
  paid: ['已缴款', '已缴费', '已缴纳'],
};

const OFFICE_STATUS_NAMES: Readonly<Record<OfficeStatus, readonly string[]>> = {
  open: ['开放', '正常', '营业', '开放中'],
  closed: ['关闭', '停业', '暂停', '已关闭'],
};

const TOW_STATUS_NAMES: Readonly<Record<TowStatus, readonly string[]>> = {
  towed: ['已拖移', '拖移', '在场', '待领取'],
  released: ['已放行', '放行', '已领回', '已取车'],
};

const SERVICE_NAMES: Readonly<Record<OfficeService, readonly string[]>> = {
  licence: [OFFICE_SERVICE_NAMES.licence, '驾驶证'],
  inspection: [OFFICE_SERVICE_NAMES.inspection, '年检', '车辆检验'],
  vehicle: [OFFICE_SERVICE_NAMES.vehicle, '车辆登记'],
  violation: [OFFICE_SERVICE_NAMES.violation, '违法'],
  dispute: [OFFICE_SERVICE_NAMES.dispute, '异议'],
  study: [OFFICE_SERVICE_NAMES.study, '学习'],
  accident: [OFFICE_SERVICE_NAMES.accident, '事故'],
};

const PLATE_TYPES: readonly PlateType[] = ['02', '52'];
const PLATE_TYPE_NAMES: Readonly<Record<PlateType, readonly string[]>> = {
  '02': ['小型汽车', '蓝牌', '2'],
  '52': ['小型新能源汽车', '新能源', '绿牌'],
};

/** The declared plate type, or (no column, empty cell) the one its length gives: 7 characters 02, 8 characters 52. */
function plateType(cells: CellReader, plateKey = 'plate', key = 'plateType'): PlateType {
  if (cells.raw(key).trim() !== '') return cells.option(key, PLATE_TYPES, PLATE_TYPE_NAMES);
  const plate = cells.raw(plateKey).replace(/[\s·.-]/g, '');
  if (plate.length === 8) return '52';
  if (plate.length === 7) return '02';
  throw new CellProblem(key, '号牌种类为空，且无法从号牌号码的位数判断（7 位为 02，8 位为 52）。');
}

const PLATE_FIELDS: readonly FieldSpec[] = [
  { key: 'plate', label: '号牌号码', aliases: ['车牌号', '车牌号码', '号牌', '车牌'], required: true },
  {
    key: 'plateType',
    label: '号牌种类',
    aliases: ['车牌类型', '号牌类型'],
    required: false,
    format: '02（小型汽车）或 52（小型新能源汽车）；为空时按号牌位数判断',
  },
];

const PLACE_FIELDS: readonly FieldSpec[] = [
  { key: 'latitude', label: '纬度', aliases: ['lat'], required: true, format: 'GCJ-02，如 22.8170' },
  { key: 'longitude', label: '经度', aliases: ['lng', 'lon'], required: true, format: 'GCJ-02，如 108.3665' },
];

const drivers: ImportKind<DriverRow> = {
  label: '驾驶人（驾驶证）',
  fields: [
    { key: 'idNumber', label: '身份证号', aliases: ['身份证号码', '公民身份号码', '证件号码'], required: true },
    { key: 'name', label: '姓名', aliases: ['驾驶人姓名'], required: true },
    { key: 'licenceClass', label: '准驾车型', aliases: ['准驾车型代号'], required: true, format: '如 C1、C1E' },
    { key: 'firstIssueDate', label: '初次领证日期', aliases: ['初领日期'], required: true, format: '2025-03-01' },
    { key: 'validUntil', label: '有效期止', aliases: ['有效期至', '有效期限'], required: true, format: '2031-03-01' },
    {
      key: 'status',
      label: '驾驶证状态',
      aliases: ['状态'],
      required: true,
      format: '有效 / 过期 / 吊销 / 暂扣（或 valid、expired、revoked、suspended）',
    },
    { key: 'cyclePoints', label: '累积记分', aliases: ['本周期累积记分', '周期记分', '记分'], required: true },
    {
      key: 'onlinePointsThrough',
      label: '线上记分截至',
      aliases: ['线上决定截至', '记分截至时间'],
      required: false,
      format: '累积记分已计入此时刻及以前的线上处罚决定，可精确到毫秒，如 2025-03-01 08:05:09.250',
    },
  ],
  build: (c) => {
    const onlinePointsThrough = c.optionalInstant('onlinePointsThrough', true);
    return {
      idNumber: c.text('idNumber'),
      name: c.text('name'),
      licenceClass: c.text('licenceClass'),
      firstIssueDate: c.date('firstIssueDate'),
      validUntil: c.date('validUntil'),
      status: c.option('status', LICENCE_STATUSES, LICENCE_STATUS_NAMES),
      cyclePoints: c.integer('cyclePoints'),
      ...(onlinePointsThrough === undefined ? {} : { onlinePointsThrough }),
    };
  },
  key: (row) => row.idNumber.toUpperCase(),
};

const vehicles: ImportKind<VehicleRow> = {
  label: '机动车',
  fields: [
    ...PLATE_FIELDS,
    { key: 'ownerIdNumber', label: '所有人身份证号', aliases: ['车主身份证号', '所有人证件号码'], required: true },
    { key: 'ownerName', label: '所有人姓名', aliases: ['所有人', '车主姓名', '车主'], required: true },
    { key: 'inspectionDue', label: '检验有效期止', aliases: ['年检到期日', '检验有效期至'], required: false },
  ],
  build: (c) => {
    const inspectionDue = c.optionalDate('inspectionDue');
    const row = {
      plate: c.text('plate'),
      plateType: plateType(c),
      ownerIdNumber: c.text('ownerIdNumber'),
      ownerName: c.text('ownerName'),
    };
    return inspectionDue === undefined ? row : { ...row, inspectionDue };
  },
  key: (row) => `${row.plate}/${row.plateType}`,
};

const violations: ImportKind<ViolationRow> = {
  label: '交通违法记录',
  fields: [
    { key: 'violationId', label: '违法编号', aliases: ['违法记录编号', '决定书编号', '记录编号'], required: true },
    ...PLATE_FIELDS,
    { key: 'occurredAt', label: '违法时间', aliases: ['发生时间'], required: true, format: '2025-03-01 08:05:09' },
    { key: 'place', label: '违法地点', aliases: ['地点'], required: true },
    { key: 'behaviour', label: '违法行为', aliases: ['违法内容'], required: true },
    {
      key: 'fine',
      label: '罚款金额（分）',
      aliases: ['罚款金额', '罚款'],
      required: true,
      money: true,
      format: '单位为分；表头写“（元）”时按元填写',
    },
    { key: 'points', label: '记分', aliases: ['违法记分', '扣分'], required: true, format: '0、1、3、6、9 或 12' },
    {
      key: 'source',
      label: '采集方式',
      aliases: ['来源', '违法来源'],
      required: true,
      format: '电子监控 / 现场（或 camera、onsite）',
    },
    {
      key: 'status',
      label: '处理状态',
      aliases: ['状态'],
      required: true,
      format: '未处理 / 已处理 / 已缴款（或 unprocessed、processed、paid）',
    },
    { key: 'disputed', label: '有异议', aliases: ['是否有异议', '异议'], required: false, format: '是 / 否，空为否' },
    { key: 'code', label: '违法代码', aliases: ['违法行为代码'], required: false, format: '4–5 位数字' },
    { key: 'lawBasis', label: '法律依据', aliases: ['违法依据', '依据'], required: false },
    {
      key: 'photos',
      label: '抓拍照片',
      aliases: ['照片', '证据照片'],
      required: false,
      format: '云存储文件编号（cloud://…），多张用分号隔开，最多 3 张；空则保留已有照片',
    },
    { key: 'paidAt', label: '缴款时间', aliases: ['银行缴款时间'], required: false, format: '仅“已缴款”的记录填写' },
  ],
  build: (c) => {
    const code = c.optionalText('code');
    const lawBasis = c.optionalText('lawBasis');
    const photos = c.list('photos');
    const paidAt = c.optionalInstant('paidAt');
    return {
      violationId: c.text('violationId'),
      plate: c.text('plate'),
      plateType: plateType(c),
      occurredAt: c.instant('occurredAt'),
      place: c.text('place'),
      behaviour: c.text('behaviour'),
      fine: c.fen('fine'),
      points: c.integer('points'),
      source: c.option('source', VIOLATION_SOURCES, SOURCE_NAMES),
      status: c.option('status', VIOLATION_STATUSES, VIOLATION_STATUS_NAMES),
      disputed: c.boolean('disputed'),
      ...(code === undefined ? {} : { code }),
      ...(lawBasis === undefined ? {} : { lawBasis }),
      // an empty cell keeps what an earlier import stored (the server replaces photos whenever the field is present)
      ...(photos.length === 0 ? {} : { photos }),
      ...(paidAt === undefined ? {} : { paidAt }),
    };
  },
  key: (row) => row.violationId,
};

const offices: ImportKind<OfficeRow> = {
  label: '业务网点',
  fields: [
    { key: 'officeId', label: '网点编号', aliases: ['编号'], required: true },
    { key: 'name', label: '网点名称', aliases: ['名称'], required: true },
    { key: 'address', label: '地址', aliases: ['网点地址'], required: true },
    ...PLACE_FIELDS,
    { key: 'hours', label: '办公时间', aliases: ['营业时间', '工作时间'], required: true },
    {
      key: 'services',
      label: '可办业务',
      aliases: ['业务范围', '业务'],
      required: true,
      format: `${OFFICE_SERVICES.map((s) => OFFICE_SERVICE_NAMES[s]).join('、')}，多项用顿号或分号隔开`,
    },
    { key: 'phone', label: '电话', aliases: ['联系电话'], required: false },
    { key: 'status', label: '状态', aliases: ['网点状态'], required: false, format: '开放 / 关闭，空为开放' },
  ],
  build: (c) => {
    const phone = c.optionalText('phone');
    const row = {
      officeId: c.text('officeId'),
      name: c.text('name'),
      address: c.text('address'),
      latitude: c.number('latitude'),
      longitude: c.number('longitude'),
      hours: c.text('hours'),
      services: c.list('services').map((s, i) => {
        const service = optionValue(s, OFFICE_SERVICES, SERVICE_NAMES);
        if (service === null) throw new CellProblem(`services[${i}]`, `不认识的业务“${s}”。`);
        return service;
      }),
      status: c.has('status') ? c.option('status', OFFICE_STATUSES, OFFICE_STATUS_NAMES) : ('open' as const),
    };
    return phone === undefined ? row : { ...row, phone };
  },
  key: (row) => row.officeId,
};

const tows: ImportKind<TowRow> = {
  label: '拖移车辆',
  fields: [
    { key: 'towId', label: '拖移编号', aliases: ['编号'], required: true },
    ...PLATE_FIELDS,
    { key: 'towedAt', label: '拖移时间', aliases: [], required: true, format: '2025-03-01 08:05' },
    { key: 'yardName', label: '停车场名称', aliases: ['停车场'], required: true },
    { key: 'yardAddress', label: '停车场地址', aliases: [], required: true },
    ...PLACE_FIELDS,
    { key: 'fee', label: '费用（分）', aliases: ['费用', '停车费'], required: true, money: true },
    { key: 'yardHours', label: '开放时间', aliases: ['停车场开放时间'], required: true },
    { key: 'yardPhone', label: '停车场电话', aliases: ['联系电话', '电话'], required: true },
    { key: 'status', label: '状态', aliases: ['拖移状态'], required: true, format: '已拖移 / 已放行' },
  ],
  build: (c) => ({
    towId: c.text('towId'),
    plate: c.text('plate'),
    plateType: plateType(c),
    towedAt: c.instant('towedAt'),
    yardName: c.text('yardName'),
    yardAddress: c.text('yardAddress'),
    latitude: c.number('latitude'),
    longitude: c.number('longitude'),
    fee: c.fen('fee'),
    yardHours: c.text('yardHours'),
    yardPhone: c.text('yardPhone'),
    status: c.option('status', TOW_STATUSES, TOW_STATUS_NAMES),
  }),
  key: (row) => row.towId,
};

const guides: ImportKind<GuideRow> = {
  label: '办事指南',
  fields: [
    { key: 'guideId', label: '指南编号', aliases: ['编号'], required: true },
    { key: 'title', label: '标题', aliases: [], required: true },
    { key: 'summary', label: '摘要', aliases: ['简介'], required: true },
    {
      key: 'sections',
      label: '内容',
      aliases: ['章节', '正文'],
      required: true,
      format: '每行一节：“小标题：条目一；条目二”，或 JSON',
    },
    { key: 'officeService', label: '对应业务', aliases: ['业务'], required: false },
    { key: 'order', label: '排序', aliases: ['顺序', '序号'], required: true },
    { key: 'updatedOn', label: '更新日期', aliases: [], required: false },
  ],
  build: (c) => {
    const sections = sectionsValue(c.raw('sections'));
    if (sections === null) throw new CellProblem('sections', '内容应为每行“小标题：条目一；条目二”，或 JSON。');
    const serviceText = c.raw('officeService').trim();
    const officeService = serviceText === '' ? undefined : optionValue(serviceText, OFFICE_SERVICES, SERVICE_NAMES);
    if (officeService === null) throw new CellProblem('officeService', `不认识的业务“${serviceText}”。`);
    const updatedOn = c.optionalDate('updatedOn');
    return {
      guideId: c.text('guideId'),
      title: c.text('title'),
      summary: c.text('summary'),
      sections,
      order: c.integer('order'),
      ...(officeService === undefined ? {} : { officeService }),
      ...(updatedOn === undefined ? {} : { updatedOn }),
    };
  },
  key: (row) => row.guideId,
};

export const IMPORT_KINDS: { readonly [K in ImportKindId]: ImportKind<ImportRows[K]> } = {
  drivers,
  vehicles,
  violations,
  offices,
  tows,
  guides,
};

export const IMPORT_KIND_IDS: readonly ImportKindId[] = [
  'drivers',
  'vehicles',
  'violations',
  'offices',
  'tows',
  'guides',
];

/** The header of a field key (`sections[0].heading` is named by `sections`), for messages and the error report. */
export function fieldLabel(fields: readonly FieldSpec[], key: string): string {
  const base = /^[A-Za-z]+/.exec(key)?.[0] ?? key;
  return fields.find((f) => f.key === base)?.label ?? key;
}

/** Reads cells through a column map; each getter throws a CellProblem naming the field. */
export function cellReader(
  cells: readonly string[],
  columns: ReadonlyMap<string, number>,
  yuan: ReadonlySet<string>,
  labelOf: (key: string) => string,
): CellReader {
  const raw = (key: string): string => {
    const index = columns.get(key);
    return index === undefined ? '' : (cells[index] ?? '');
  };
  const present = (key: string): string => {
    const t = raw(key).trim();
    if (t === '') throw new CellProblem(key, `${labelOf(key)}不能为空。`);
    return t;
  };
  const parsed = <T>(key: string, value: (text: string) => T | null, what: string): T => {
    const result = value(present(key));
    if (result === null) throw new CellProblem(key, `${labelOf(key)}“${raw(key).trim()}”${what}`);
    return result;
  };
  const reader: CellReader = {
    raw,
    has: (key) => raw(key).trim() !== '',
    text: present,
    optionalText: (key) => (reader.has(key) ? present(key) : undefined),
    integer: (key) => parsed(key, integerValue, '不是整数。'),
    number: (key) => parsed(key, numberValue, '不是数字。'),
    fen: (key) =>
      parsed(
        key,
        (t) => fenValue(t, yuan.has(key)),
        yuan.has(key) ? '不是以元为单位的金额。' : '不是以分为单位的整数。',
      ),
    boolean: (key) => {
      const value = booleanValue(raw(key));
      if (value === null) throw new CellProblem(key, `${labelOf(key)}“${raw(key).trim()}”应为“是”或“否”。`);
      return value;
    },
    date: (key) => parsed(key, dateValue, '不是日期（如 2025-03-01）。'),
    optionalDate: (key) => (reader.has(key) ? reader.date(key) : undefined),
    instant: (key) => parsed(key, (t) => instantValue(t), '不是日期和时间（如 2025-03-01 08:05:09）。'),
    optionalInstant: (key, precise = false) =>
      reader.has(key)
        ? parsed(key, (t) => instantValue(t, precise), '不是日期和时间（如 2025-03-01 08:05:09）。')
        : undefined,
    option: (key, codes, names) => {
      const text = present(key);
      const value = optionValue(text, codes, names);
      if (value === null) {
        const choices = codes.map((c) => names[c][0] ?? c).join('、');
        throw new CellProblem(key, `${labelOf(key)}“${text}”不在可选值中（${choices}）。`);
      }
      return value;
    },
    list: (key) => listValue(raw(key)),
  };
  return reader;
}
