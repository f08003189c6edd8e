import fc from 'fast-check';
import { DomainError } from '../../miniprogram/domain/core/errors';
import type { ServerFunctionName as FunctionName } from '../../cloudfunctions/_shared/actions';
import { idCheckChar } from '../../miniprogram/domain/account/id-number';
import { readAdminToken, adminTokenMatches } from '../../cloudfunctions/_shared/police/parse';
import { MAX_IMPORT_ROWS } from '../../cloudfunctions/_shared/police/contract';
import { parsePayCallbackEvent } from '../../cloudfunctions/_shared/payment/pay-callback';
import { ACTIONS, parseEvent } from '../../cloudfunctions/_shared/parse/event';
import { match, thrownBy } from '../helpers/matchers';

const ctx = { today: '2025-06-15' };
const ID = '11010519491231002X';
const NANNING_ID = `45010219900307123${idCheckChar('45010219900307123') ?? ''}`;

/** The DomainError a parse throws (fails the test if it does not throw one). */
function parseError(fn: FunctionName, event: unknown): DomainError {
  try {
    parseEvent(fn, event, ctx);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw new Error(`threw a non-DomainError: ${String(e)}`);
  }
  throw new Error('did not throw');
}

describe('parseEvent: happy paths of every action', () => {
  it('user', () => {
    expect(parseEvent('user', { action: 'register' }, ctx)).toEqual({ action: 'register', params: {} });
    expect(parseEvent('user', { action: 'profile', userInfo: { openId: 'x' } }, ctx)).toEqual({
      action: 'profile',
      params: {},
    });
    expect(
      parseEvent(
        'user',
        { action: 'startFaceVerify', name: ' 张三 ', idNumber: '11010519491231002x', purpose: 'real-person' },
        ctx,
      ),
    ).toEqual({ action: 'startFaceVerify', params: { name: '张三', idNumber: ID, purpose: 'real-person' } });
    expect(parseEvent('user', { action: 'confirmFaceVerify', verifyId: 'v-123_abc' }, ctx)).toEqual({
      action: 'confirmFaceVerify',
      params: { verifyId: 'v-123_abc' },
    });
  });

  it('vehicle', () => {
    expect(parseEvent('vehicle', { action: 'list' }, ctx)).toEqual({ action: 'list', params: {} });
    expect(parseEvent('vehicle', { action: 'bindOwn', plate: '桂a12345', plateType: '02' }, ctx)).toEqual({
      action: 'bindOwn',
      params: { plate: '桂A12345', plateType: '02' },
    });
    expect(
      parseEvent(
        'vehicle',
        { action: 'requestBinding', plate: '桂AD12345', plateType: '52', ownerName: '欧阳娜娜' },
        ctx,
      ),
    ).toEqual({
      action: 'requestBinding',
      params: { plate: '桂AD12345', plateType: '52', ownerName: '欧阳娜娜' },
    });
    expect(
      parseEvent(
        'vehicle',
        { action: 'requestBinding', plate: '桂A12345', plateType: '02', ownerName: '买买提·艾力' },
        ctx,
      ).action,
    ).toBe('requestBinding');
    expect(parseEvent('vehicle', { action: 'listRequests' }, ctx).action).toBe('listRequests');
    expect(parseEvent('vehicle', { action: 'startAuthorize', requestId: 'r1' }, ctx)).toEqual({
      action: 'startAuthorize',
      params: { requestId: 'r1' },
    });
    expect(parseEvent('vehicle', { action: 'approve', requestId: 'r1', verifyId: 'v1' }, ctx).params).toEqual({
      requestId: 'r1',
      verifyId: 'v1',
    });
    expect(parseEvent('vehicle', { action: 'reject', requestId: 'r1' }, ctx).params).toEqual({ requestId: 'r1' });
    expect(parseEvent('vehicle', { action: 'unbind', plate: '桂A12345' }, ctx).params).toEqual({ plate: '桂A12345' });
    expect(parseEvent('vehicle', { action: 'revoke', plate: '桂A12345', bindingId: 'b1' }, ctx).params).toEqual({
      plate: '桂A12345',
      bindingId: 'b1',
    });
  });

  it('violation', () => {
    expect(parseEvent('violation', { action: 'list' }, ctx)).toEqual({ action: 'list', params: {} });
    expect(parseEvent('violation', { action: 'list', plate: '' }, ctx)).toEqual({ action: 'list', params: {} });
    expect(parseEvent('violation', { action: 'list', plate: null }, ctx)).toEqual({ action: 'list', params: {} });
    expect(parseEvent('violation', { action: 'list', plate: '桂ad12345' }, ctx)).toEqual({
      action: 'list',
      params: { plate: '桂AD12345' },
    });
    expect(parseEvent('violation', { action: 'process', violationIds: ['4501001', '4501002'] }, ctx)).toEqual({
      action: 'process',
      params: { violationIds: ['4501001', '4501002'] },
    });
  });

  it('payment', () => {
    expect(parseEvent('payment', { action: 'create', decisionId: 'd1' }, ctx).params).toEqual({ decisionId: 'd1' });
    expect(parseEvent('payment', { action: 'status', orderId: 'o1' }, ctx).params).toEqual({ orderId: 'o1' });
    expect(parseEvent('payment', { action: 'list' }, ctx).params).toEqual({});
  });

  it('admin exports and refund queue', () => {
    expect(
      parseEvent('admin', { action: 'exportPayments', from: '2025-01-01', to: '2025-01-31', adminToken: 't' }, ctx)
        .params,
    ).toEqual({
      from: '2025-01-01',
      to: '2025-01-31',
    });
    expect(parseError('admin', { action: 'exportPayments', from: '2025-02-01', to: '2025-01-31' }).details?.field).toBe(
      'to',
    );
    expect(parseError('admin', { action: 'exportPayments', from: '2024-01-01', to: '2025-01-31' }).code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(parseError('admin', { action: 'exportPayments', from: '2025-02-30', to: '2025-03-01' }).details?.field).toBe(
      'from',
    );
    expect(parseEvent('admin', { action: 'refundQueue' }, ctx).params).toEqual({});
    expect(parseEvent('admin', { action: 'exportDecisions' }, ctx).params).toEqual({});
    // An empty cursor is the start, as an absent one.
    expect(parseEvent('admin', { action: 'exportDecisions', after: '', limit: 1 }, ctx).params).toEqual({ limit: 1 });
    const key = '001780000000000_0f3a9c';
    expect(parseEvent('admin', { action: 'exportDecisions', after: key, limit: 200 }, ctx).params).toEqual({
      after: key,
      limit: 200,
    });
    for (const after of ['-1', '01', '1.5', 'abc', '1234567890123456', '12345678901234_a', '001780000000000_', 7])
      expect(parseError('admin', { action: 'exportDecisions', after }).details?.field).toBe('after');
    for (const limit of [0, 201, 1.5, '10'])
      expect(parseError('admin', { action: 'exportDecisions', limit }).details?.field).toBe('limit');
  });

  it('narrows params by action at compile time', () => {
    const event = parseEvent('vehicle', { action: 'approve', requestId: 'r', verifyId: 'v' }, ctx);
    if (event.action === 'approve') {
      const verifyId: string = event.params.verifyId;
      expect(verifyId).toBe('v');
    }
  });
});

describe('parseEvent: refusals', () => {
  it('a bad "today" from the caller is a bug (INTERNAL), not the user\'s fault', () => {
    expect(thrownBy(() => parseEvent('user', { action: 'register' }, { today: '2025-02-30' }))).toEqual(
      expect.objectContaining({ code: 'INTERNAL' }),
    );
  });

  it('unknown or missing action, and actions of another function', () => {
    expect(parseError('user', { action: 'drop' })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'action' },
    });
    expect(parseError('user', {})).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'action' } });
    expect(parseError('user', { action: 'process' }).code).toBe('INVALID_ARGUMENT');
    expect(parseError('user', { action: 'toString' }).code).toBe('INVALID_ARGUMENT');
    expect(parseError('user', { action: '__proto__' }).code).toBe('INVALID_ARGUMENT');
    expect(parseError('user', { action: 'hasOwnProperty' }).code).toBe('INVALID_ARGUMENT');
  });

  it('events that are not plain objects', () => {
    for (const bad of [null, undefined, 0, 42, 'register', true, [], [{ action: 'register' }], new Date(), () => 1]) {
      expect(parseError('user', bad).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('prototype-polluting keys', () => {
    const polluted: unknown = JSON.parse('{"action":"register","__proto__":{"admin":true}}');
    expect(parseError('user', polluted).details?.field).toBe('__proto__');
    expect(parseError('user', { action: 'register', constructor: 'x' }).code).toBe('INVALID_ARGUMENT');
    const row: unknown = JSON.parse(`{"__proto__":{"x":1},"idNumber":"${ID}"}`);
    const parsed = parseEvent('admin', { action: 'importDrivers', rows: [row] }, ctx);
    expect(parsed.params).toMatchObject({ rows: [], errors: [{ row: 0, code: 'INVALID_ARGUMENT' }] });
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });

  it('mistyped values: objects, numbers or arrays where strings are expected', () => {
    expect(
      parseError('vehicle', { action: 'bindOwn', plate: { toString: '桂A12345' }, plateType: '02' }).details?.field,
    ).toBe('plate');
    expect(parseError('vehicle', { action: 'bindOwn', plate: ['桂A12345'], plateType: '02' }).details?.field).toBe(
      'plate',
    );
    expect(parseError('vehicle', { action: 'bindOwn', plate: '桂A12345', plateType: 2 }).details?.field).toBe(
      'plateType',
    );
    expect(parseError('vehicle', { action: 'bindOwn', plate: '桂A12345' }).message).toContain('号牌种类');
    expect(parseError('payment', { action: 'create', decisionId: 12 }).details?.field).toBe('decisionId');
    expect(parseError('payment', { action: 'create', decisionId: 'a b' }).details?.field).toBe('decisionId');
    expect(parseError('payment', { action: 'create', decisionId: 'x'.repeat(65) }).details?.field).toBe('decisionId');
    expect(parseError('payment', { action: 'create', decisionId: 'x'.repeat(1_000_000) }).details?.field).toBe(
      'decisionId',
    );
    expect(
      parseError('user', { action: 'startFaceVerify', name: '张三', idNumber: ID, purpose: 'other' }).details?.field,
    ).toBe('purpose');
    expect(
      parseError('user', { action: 'startFaceVerify', name: '张三\u0000', idNumber: ID, purpose: 'real-person' })
        .details?.field,
    ).toBe('name');
    expect(
      parseError('user', { action: 'startFaceVerify', name: '张3', idNumber: ID, purpose: 'real-person' }).details
        ?.field,
    ).toBe('name');
    const blank = parseError('user', { action: 'startFaceVerify', name: '   ', idNumber: ID, purpose: 'real-person' });
    expect(blank.message).toBe('请输入姓名');
    expect(blank.details?.field).toBe('name');
  });

  it('ID numbers are fully checked, with the specific reason', () => {
    const error = parseError('user', {
      action: 'startFaceVerify',
      name: '张三',
      idNumber: '110105194912310021',
      purpose: 'real-person',
    });
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'idNumber', reasons: ['CHECKSUM'] } });
    const future = `45010220250616123${idCheckChar('45010220250616123') ?? ''}`;
    expect(
      parseError('user', { action: 'startFaceVerify', name: '张三', idNumber: future, purpose: 'real-person' }).details
        ?.reasons,
    ).toEqual(['BIRTH_DATE_FUTURE']);
  });

  it('refused plates are PLATE_NOT_SUPPORTED with the reason', () => {
    const cases: [string, string, string][] = [
      ['桂B12345', '02', 'OTHER_CITY_GUANGXI'],
      ['粤A12345', '02', 'OTHER_PROVINCE'],
      ['桂A12345D', '51', 'LARGE_VEHICLE'],
      ['桂A12345', '52', 'TYPE_MISMATCH'],
      ['桂A1234I', '02', 'MALFORMED'],
    ];
    for (const [plate, plateType, reason] of cases) {
      expect(parseError('vehicle', { action: 'bindOwn', plate, plateType })).toMatchObject({
        code: 'PLATE_NOT_SUPPORTED',
        details: { reasons: [reason] },
      });
    }
    expect(parseError('vehicle', { action: 'unbind', plate: '桂B12345' }).code).toBe('PLATE_NOT_SUPPORTED');
  });

  it('violationIds: empty, duplicates, over 20, wrong items', () => {
    const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `V${i}`);
    expect(parseEvent('violation', { action: 'process', violationIds: ids(20) }, ctx).params).toEqual({
      violationIds: ids(20),
    });
    expect(parseError('violation', { action: 'process', violationIds: [] }).code).toBe('INVALID_ARGUMENT');
    expect(parseError('violation', { action: 'process', violationIds: ids(21) }).details?.limit).toBe(20);
    expect(parseError('violation', { action: 'process', violationIds: ['a', 'a'] }).details?.field).toBe(
      'violationIds[1]',
    );
    expect(parseError('violation', { action: 'process', violationIds: ['a', 3] }).details?.field).toBe(
      'violationIds[1]',
    );
    expect(parseError('violation', { action: 'process', violationIds: ['a', { id: 'b' }] }).details?.field).toBe(
      'violationIds[1]',
    );
    expect(parseError('violation', { action: 'process', violationIds: 'a' }).details?.field).toBe('violationIds');
    expect(parseError('violation', { action: 'process', violationIds: new Array(5_000_000) }).code).toBe(
      'INVALID_ARGUMENT',
    );
  });
});

describe('admin imports: row by row', () => {
  const driver = {
    idNumber: NANNING_ID,
    name: '李四',
    licenceClass: 'c1e',
    firstIssueDate: '2010-05-20',
    validUntil: '2030-05-20',
    status: 'valid',
    cyclePoints: 3,
  };
  const vehicle = { plate: '桂A12345', plateType: '02', ownerIdNumber: NANNING_ID, ownerName: '李四' };
  const violation = {
    violationId: '450100-0001',
    plate: '桂A12345',
    plateType: '02',
    occurredAt: '2025-05-01T08:30:00+08:00',
    place: '民族大道与青秀路交叉口',
    behaviour: '机动车违反禁令标志指示',
    fine: 20_000,
    points: 3,
    source: 'camera',
    status: 'unprocessed',
    disputed: false,
  };

  it('applies good rows and reports bad ones with their index and field', () => {
    const parsed = parseEvent(
      'admin',
      {
        action: 'importDrivers',
        rows: [
          driver,
          { ...driver, idNumber: ID, cyclePoints: '3' },
          { ...driver, idNumber: ID, licenceClass: 'Z9' },
          null,
          driver,
        ],
      },
      ctx,
    );
    expect(parsed.action).toBe('importDrivers');
    expect(parsed.params).toEqual({
      rows: [{ index: 0, row: { ...driver, licenceClass: 'C1E', status: 'valid' } }],
      errors: [
        { row: 1, code: 'INVALID_ARGUMENT', message: match.any(String), field: 'rows[1].cyclePoints' },
        { row: 2, code: 'INVALID_ARGUMENT', message: match.any(String), field: 'rows[2].licenceClass' },
        { row: 3, code: 'INVALID_ARGUMENT', message: match.any(String), field: 'rows[3]' },
        { row: 4, code: 'INVALID_ARGUMENT', message: match.any(String), field: 'rows[4]' },
      ],
    });
  });

  it('driver rows: dates are real, not in the future, validUntil after first issue', () => {
    const errorsOf = (row: object): unknown => {
      const parsed = parseEvent('admin', { action: 'importDrivers', rows: [row] }, ctx);
      return 'errors' in parsed.params ? parsed.params.errors.map((e) => e.field) : null;
    };
    expect(errorsOf({ ...driver, firstIssueDate: '2025-06-16' })).toEqual(['rows[0].firstIssueDate']);
    expect(errorsOf({ ...driver, validUntil: '2009-01-01' })).toEqual(['rows[0].validUntil']);
    expect(errorsOf({ ...driver, status: 'lost' })).toEqual(['rows[0].status']);
    expect(errorsOf({ ...driver, cyclePoints: -1 })).toEqual(['rows[0].cyclePoints']);
    expect(errorsOf({ ...driver, idNumber: '110105194912310021' })).toEqual(['rows[0].idNumber']);
  });

  it('vehicle rows: unsupported plates are reported, inspectionDue optional', () => {
    const parsed = parseEvent(
      'admin',
      {
        action: 'importVehicles',
        rows: [
          vehicle,
          { ...vehicle, plate: '桂B12345' },
          { ...vehicle, plate: '桂AD12345', plateType: '52', inspectionDue: '2026-01-31' },
        ],
      },
      ctx,
    );
    expect(parsed.params).toEqual({
      rows: [
        { index: 0, row: vehicle },
        { index: 2, row: { ...vehicle, plate: '桂AD12345', plateType: '52', inspectionDue: '2026-01-31' } },
      ],
      errors: [{ row: 1, code: 'PLATE_NOT_SUPPORTED', message: match.any(String), field: 'rows[1].plate' }],
    });
  });

  it('violation rows: occurredAt normalised to Shanghai time; points, fine, enums checked', () => {
    const parsed = parseEvent(
      'admin',
      {
        action: 'importViolations',
        rows: [
          { ...violation, occurredAt: '2025-05-01T00:30:00Z' },
          { ...violation, violationId: 'b', points: 7 },
          { ...violation, violationId: 'c', fine: 100.5 },
          { ...violation, violationId: 'd', source: 'radar' },
          { ...violation, violationId: 'e', disputed: 'no' },
          { ...violation, violationId: 'f', occurredAt: '2025-06-16T00:00:00+08:00' },
          { ...violation, violationId: 'g', occurredAt: 'May 1st' },
        ],
      },
      ctx,
    );
    if (!('errors' in parsed.params)) throw new Error('not an import');
    expect(parsed.params.rows).toEqual([{ index: 0, row: { ...violation, occurredAt: '2025-05-01T08:30:00+08:00' } }]);
    expect(parsed.params.errors.map((e) => e.field)).toEqual([
      'rows[1].points',
      'rows[2].fine',
      'rows[3].source',
      'rows[4].disputed',
      'rows[5].occurredAt',
      'rows[6].occurredAt',
    ]);
  });

  it("drivers' watermark: kept to the millisecond in Shanghai time; malformed or after today refused", () => {
    const parsed = parseEvent(
      'admin',
      {
        action: 'importDrivers',
        rows: [
          { ...driver, onlinePointsThrough: '2025-06-01T01:02:03.456Z' },
          { ...driver, idNumber: ID, onlinePointsThrough: '2025-06-01' },
          { ...driver, idNumber: ID, onlinePointsThrough: '2025-06-16T00:00:00+08:00' },
          { ...driver, idNumber: ID, onlinePointsThrough: 1_748_736_000_000 },
        ],
      },
      ctx,
    );
    if (!('errors' in parsed.params)) throw new Error('not an import');
    expect(parsed.params.rows).toEqual([
      { index: 0, row: { ...driver, licenceClass: 'C1E', onlinePointsThrough: '2025-06-01T09:02:03.456+08:00' } },
    ]);
    expect(parsed.params.errors.map((e) => e.field)).toEqual([
      'rows[1].onlinePointsThrough',
      'rows[2].onlinePointsThrough',
      'rows[3].onlinePointsThrough',
    ]);
  });

  it("violations' bank payment time: only on a paid row, not before the violation nor after today", () => {
    const paid = { ...violation, status: 'paid' };
    const parsed = parseEvent(
      'admin',
      {
        action: 'importViolations',
        rows: [
          { ...paid, paidAt: '2025-05-03T02:00:00Z' },
          { ...paid, violationId: 'b', paidAt: '2025-05-01T08:29:59+08:00' },
          { ...violation, violationId: 'c', paidAt: '2025-05-03T10:00:00+08:00' },
          { ...paid, violationId: 'd', paidAt: '2025-06-16T00:00:00+08:00' },
          { ...paid, violationId: 'e' },
        ],
      },
      ctx,
    );
    if (!('errors' in parsed.params)) throw new Error('not an import');
    expect(parsed.params.rows).toEqual([
      { index: 0, row: { ...paid, paidAt: '2025-05-03T10:00:00+08:00' } },
      { index: 4, row: { ...paid, violationId: 'e' } },
    ]);
    expect(parsed.params.errors.map((e) => e.field)).toEqual(['rows[1].paidAt', 'rows[2].paidAt', 'rows[3].paidAt']);
  });

  it('batches over 1000 rows, or rows that are not an array, are refused whole', () => {
    const tooMany = Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => vehicle);
    expect(parseError('admin', { action: 'importVehicles', rows: tooMany }).details).toMatchObject({
      field: 'rows',
      limit: 1000,
    });
    expect(parseError('admin', { action: 'importVehicles', rows: { 0: vehicle } }).details?.field).toBe('rows');
    const thousand = Array.from({ length: MAX_IMPORT_ROWS }, (_, i) => ({ ...violation, violationId: `v${i}` }));
    const parsed = parseEvent('admin', { action: 'importViolations', rows: thousand }, ctx);
    expect('rows' in parsed.params && parsed.params.rows.length).toBe(1000);
  });
});

describe('admin token', () => {
  it('reads a bounded string token without throwing', () => {
    expect(readAdminToken({ adminToken: 'secret' })).toBe('secret');
    expect(readAdminToken({ adminToken: 1 })).toBeNull();
    expect(readAdminToken({ adminToken: '' })).toBeNull();
    expect(readAdminToken({ adminToken: 'x'.repeat(257) })).toBeNull();
    expect(readAdminToken(null)).toBeNull();
    expect(readAdminToken([])).toBeNull();
    expect(readAdminToken(Object.create({ adminToken: 'inherited' }))).toBeNull();
  });

  it('matches only the configured token; an unset token matches nothing', () => {
    expect(adminTokenMatches('secret', 'secret')).toBe(true);
    expect(adminTokenMatches('secreT', 'secret')).toBe(false);
    expect(adminTokenMatches('secret1', 'secret')).toBe(false);
    expect(adminTokenMatches('secre', 'secret')).toBe(false);
    expect(adminTokenMatches(null, 'secret')).toBe(false);
    expect(adminTokenMatches('', '')).toBe(false);
    expect(adminTokenMatches('x', undefined)).toBe(false);
  });
});

describe('pay callback event', () => {
  it('reads WeChat fields and keeps only what it knows', () => {
    expect(
      parsePayCallbackEvent({
        returnCode: 'SUCCESS',
        resultCode: 'SUCCESS',
        outTradeNo: 'GA20250301_0001',
        transactionId: '4200001234202503011234567890',
        totalFee: 20_000,
        timeEnd: '20250301120000',
        subOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
        userInfo: { appId: 'x' },
      }),
    ).toEqual({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: 'GA20250301_0001',
      transactionId: '4200001234202503011234567890',
      totalFee: 20_000,
      timeEnd: '20250301120000',
      subOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
    });
    expect(parsePayCallbackEvent({ returnCode: 'FAIL', outTradeNo: 'a', totalFee: '100' })).toEqual({
      returnCode: 'FAIL',
      outTradeNo: 'a',
      totalFee: 100,
    });
  });

  it('refuses forged shapes with DomainError', () => {
    for (const bad of [
      null,
      [],
      { returnCode: 'SUCCESS' },
      { returnCode: 'SUCCESS', outTradeNo: 'x'.repeat(33) },
      { returnCode: 'SUCCESS', outTradeNo: 'a', totalFee: -1 },
      { returnCode: 'SUCCESS', outTradeNo: 'a', totalFee: 1.5 },
      { returnCode: 'SUCCESS', outTradeNo: 'a/b' },
    ]) {
      expect(() => parsePayCallbackEvent(bad)).toThrow(DomainError);
    }
  });
});

describe('garbage in: only a typed result or a DomainError comes out', () => {
  const functions = Object.keys(ACTIONS) as FunctionName[];
  const actionNames = functions.flatMap((fn) => [...ACTIONS[fn]]);
  const fieldNames = [
    'action',
    'name',
    'idNumber',
    'purpose',
    'verifyId',
    'plate',
    'plateType',
    'ownerName',
    'requestId',
    'bindingId',
    'violationIds',
    'decisionId',
    'orderId',
    'rows',
    'from',
    'to',
    '__proto__',
    'constructor',
    'prototype',
    'userInfo',
    'returnCode',
    'outTradeNo',
    'totalFee',
    'adminToken',
  ];
  const value = fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.constantFrom(...actionNames),
    fc.constantFrom('桂A12345', '桂AD12345', '02', '52', ID, 'real-person', '2025-01-01', ''),
    fc.array(fc.oneof(fc.string(), fc.constantFrom('a', 'a', 'b'), fc.anything({ maxDepth: 2 })), { maxLength: 25 }),
  );
  const event = fc.oneof(
    fc.anything(),
    fc.dictionary(fc.constantFrom(...fieldNames), value),
    fc
      .record({ action: fc.constantFrom(...actionNames) })
      .chain((base) => fc.dictionary(fc.constantFrom(...fieldNames), value).map((rest) => ({ ...rest, ...base }))),
  );

  function onlyDomainErrors(run: () => unknown): void {
    try {
      run();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect(['INVALID_ARGUMENT', 'PLATE_NOT_SUPPORTED']).toContain((e as DomainError).code);
    }
  }

  it('parseEvent never throws anything else, for any function', () => {
    fc.assert(
      fc.property(fc.constantFrom(...functions), event, (fn, ev) => {
        onlyDomainErrors(() => parseEvent(fn, ev, ctx));
        onlyDomainErrors(() => parsePayCallbackEvent(ev));
        expect(() => readAdminToken(ev)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('survives JSON with __proto__ keys and deeply nested values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...functions), (json, fn) => {
        const text = JSON.stringify({ action: ACTIONS[fn][0], __proto__: json, rows: [json] });
        onlyDomainErrors(() => parseEvent(fn, JSON.parse(text), ctx));
      }),
      { numRuns: 300 },
    );
    let deep: unknown = '桂A12345';
    for (let i = 0; i < 100_000; i += 1) deep = { plate: deep, rows: [deep] };
    for (const fn of functions) {
      for (const action of ACTIONS[fn]) {
        onlyDomainErrors(() =>
          parseEvent(fn, { action, plate: deep, rows: [deep], violationIds: [deep], name: deep }, ctx),
        );
      }
    }
  });

  it('survives getters that throw and proxies', () => {
    const hostile = Object.defineProperty({ action: 'bindOwn' }, 'plate', {
      enumerable: true,
      get() {
        throw new TypeError('boom');
      },
    });
    onlyDomainErrors(() => parseEvent('vehicle', hostile, ctx));
    const proxy = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error('trap');
        },
      },
    );
    onlyDomainErrors(() => parseEvent('vehicle', proxy, ctx));
    expect(readAdminToken(proxy)).toBeNull();
  });
});
