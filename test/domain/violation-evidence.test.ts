/** The registry's violation rows with the optional code, legal basis and evidence photos, and violation.detail's id. */
import { parseEvent } from '../../cloudfunctions/_shared/parse/event';
import type { ParsedImport, ViolationRow } from '../../cloudfunctions/_shared/police/contract';
import { DomainError } from '../../miniprogram/domain/core/errors';

const ctx = { today: '2026-11-24' };

const BASE = {
  violationId: '450100202600000001',
  plate: '桂A12345',
  plateType: '02',
  occurredAt: '2026-11-20T08:10:00+08:00',
  place: '民族大道与竹溪大道交叉口',
  behaviour: '机动车违反禁令标志指示的',
  fine: 20_000,
  points: 3,
  source: 'camera',
  status: 'unprocessed',
  disputed: false,
};

function imported(fields: Record<string, unknown>): ParsedImport<ViolationRow> {
  const parsed = parseEvent('admin', { action: 'importViolations', rows: [{ ...BASE, ...fields }] }, ctx);
  if (parsed.action !== 'importViolations') throw new Error('wrong action');
  return parsed.params;
}

function row(fields: Record<string, unknown>): ViolationRow {
  const { rows, errors } = imported(fields);
  if (errors.length) throw new Error(JSON.stringify(errors));
  const first = rows[0];
  if (first === undefined) throw new Error('no row');
  return first.row;
}

function error(fields: Record<string, unknown>): { field?: string; message: string } {
  const { rows, errors } = imported(fields);
  expect(rows).toEqual([]);
  const first = errors[0];
  if (first === undefined) throw new Error('no error');
  return first;
}

const file = (n: number) => `cloud://env-1.6465-env-1-1300000000/evidence/${n}.png`;

describe('violation rows: code, legal basis, evidence photos', () => {
  it('imports a row without any of them as before', () => {
    const plain = row({});
    expect(plain).not.toHaveProperty('code');
    expect(plain).not.toHaveProperty('lawBasis');
    expect(plain).not.toHaveProperty('photos');
    // null and blank read as absent, like every optional field of the registry
    expect(row({ code: null, lawBasis: '  ', photos: null })).toEqual(plain);
  });

  it('code: 4 or 5 digits, nothing else', () => {
    expect(row({ code: '1352' }).code).toBe('1352');
    expect(row({ code: ' 13520 ' }).code).toBe('13520');
    for (const bad of ['135', '135200', '13a2', '１３５２', 1352, '13 52']) {
      expect(error({ code: bad })).toMatchObject({ field: 'rows[0].code' });
    }
    expect(error({ code: '135' }).message).toBe('违法代码应为 4–5 位数字。');
  });

  it('legal basis: up to 200 characters', () => {
    const basis = '《中华人民共和国道路交通安全法》第九十条';
    expect(row({ lawBasis: basis }).lawBasis).toBe(basis);
    expect(row({ lawBasis: '法'.repeat(200) }).lawBasis).toHaveLength(200);
    expect(error({ lawBasis: '法'.repeat(201) })).toEqual(
      expect.objectContaining({ field: 'rows[0].lawBasis', message: '法律依据最多 200 个字。' }),
    );
    expect(error({ lawBasis: ['第九十条'] }).field).toBe('rows[0].lawBasis');
  });

  it('photos: 0 to 3 distinct fileIDs of cloud storage', () => {
    expect(row({ photos: [] }).photos).toEqual([]);
    expect(row({ photos: [file(1), file(2), file(3)] }).photos).toEqual([file(1), file(2), file(3)]);
    expect(error({ photos: [file(1), file(2), file(3), file(4)] })).toMatchObject({
      field: 'rows[0].photos',
      message: '每条违法记录最多 3 张抓拍照片。',
    });
    expect(error({ photos: [file(1), 'https://example.com/1.png'] })).toMatchObject({
      field: 'rows[0].photos[1]',
      message: '抓拍照片应为云存储文件编号（cloud://…）。',
    });
    expect(error({ photos: [file(1), file(1)] })).toMatchObject({ field: 'rows[0].photos[1]' });
    expect(error({ photos: file(1) }).field).toBe('rows[0].photos');
    expect(error({ photos: [`cloud://${'x'.repeat(600)}`] }).field).toBe('rows[0].photos[0]');
  });

  it('a bad row is reported and the others go through', () => {
    const parsed = parseEvent(
      'admin',
      {
        action: 'importViolations',
        rows: [
          { ...BASE, code: 'x' },
          { ...BASE, violationId: '450100202600000002', code: '1352' },
        ],
      },
      ctx,
    );
    if (parsed.action !== 'importViolations') throw new Error('wrong action');
    expect(parsed.params.rows.map((r) => r.index)).toEqual([1]);
    expect(parsed.params.errors.map((e) => e.row)).toEqual([0]);
  });
});

describe('violation.detail', () => {
  it('takes one violation id', () => {
    expect(parseEvent('violation', { action: 'detail', violationId: '4501001' }, ctx)).toEqual({
      action: 'detail',
      params: { violationId: '4501001' },
    });
    for (const event of [{ action: 'detail' }, { action: 'detail', violationId: '../x' }]) {
      let caught: unknown;
      try {
        parseEvent('violation', event, ctx);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(DomainError);
      expect((caught as DomainError).details?.field).toBe('violationId');
    }
  });
});
