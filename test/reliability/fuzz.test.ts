/**
 * Fuzzing every cloud function with fast-check: SCALE.fuzz generated events per function — wrong types,
 * missing fields, huge strings, unicode, `__proto__` / `constructor` / `prototype` keys, Mongo operators as strings
 * and as objects (`{ "$ne": null }`, `{ "$gt": "" }`), negative and fractional amounts, identity fields injected
 * into the event — sent over HTTP by every kind of caller (verified, another verified driver, registered only,
 * unregistered, no openid).
 *
 * Every answer must be HTTP 200 with a typed `{ ok: false, code, message }` (code from ERROR_CODES, never INTERNAL,
 * a real sentence), or — only for an action that reads, or for an event the server's own parser accepts —
 * `{ ok: true }` without anyone else's data; payCallback must acknowledge `{ errcode: 0 }` (it records every
 * notification and settles only what WeChat Pay confirms).
 *
 * No write: events run in batches of BATCH at once; before and after each batch the suite hashes every document of
 * every app collection straight from the SQLite file (read-only, beside the running server — see store-reader.ts).
 * Random params are sometimes valid (a move-car request names only a plate): the batch's valid events are sent after
 * its invalid ones, and may write only their own action's collections (WRITES).
 * For payCallback the one allowed write is its own notification record: exactly one new payNotifications document per
 * event, each with bounded fields, and nothing else. fast-check shrinks a failing batch to the event that broke it.
 */
import fc from 'fast-check';
import { shanghaiDate } from '../../miniprogram/domain/core/dates';
import { keyOf } from '../../cloudfunctions/_shared/ids';
import { useLocalCloud } from '../helpers/local-cloud';
import { World, idNumbersIn, isTypedFailure, type Car, type Fn, type Person } from '../helpers/story';
import { seedFromEnv } from './random';
import { SCALE, timeout } from './scale';
import { StoreReader, type StoredDoc } from './store-reader';
import { ACTIONS, parseEvent } from '../../cloudfunctions/_shared/parse/event';
import { adminTokenMatches, readAdminToken } from '../../cloudfunctions/_shared/police/parse';
import { ACTION_ACCESS, type ActionAccess } from '../../cloudfunctions/_shared/police/access';
import { readCredential } from '../../cloudfunctions/_shared/police/officers/authorise';

const cloud = useLocalCloud({}, 60_000);
const actors = new World(cloud, 'fz');
actors.keepResponses = false;
let store: StoreReader;
// beforeAll may have failed before the store was opened
afterAll(() => (store as StoreReader | undefined)?.close());

const BATCH = 10;
const seed = seedFromEnv();
const ACK = { errcode: 0, errmsg: 'OK' };

/** Actions whose success writes nothing (register: for a caller already registered). */
const READ_ONLY: Record<Fn, readonly string[]> = {
  user: ['register', 'profile', 'points', 'home', 'licence'],
  vehicle: ['list', 'listRequests', 'ownCars', 'screen'],
  // the payment desk's reads are served by violation too (one function on the driver's main path)
  violation: ['list', 'decision', 'detail', 'payments', 'payStatus', 'receipt'],
  payment: ['status', 'list', 'receipt'],
  admin: ['exportPayments', 'refundQueue', 'listRefunds', 'importDrivers', 'importVehicles', 'importViolations'],
  payCallback: [],
  reminder: ['status'],
  certificate: ['list', 'detail', 'verify'],
  guide: ['list', 'detail', 'offices'],
  tow: ['query'],
  insurance: ['policy'],
  moveCar: ['mine', 'status', 'incoming'],
  fault: ['uploadTarget', 'list', 'detail'],
};

/** What a function writes by design whatever the event (notifications received, wrong certificate codes counted). */
const COUNTED: Partial<Record<Fn, readonly string[]>> = {
  payCallback: ['payNotifications'],
  certificate: ['certificateAttempts', 'verifyCallers'],
};

/**
 * What a valid event of an action may write: its own records. Random params make some events valid by chance (a
 * move-car request needs only a well-formed plate: a verified caller's is recorded, counted against the rate limits
 * and, for a registered owner, sent as a subscribe message). A valid event of an action not listed must neither
 * succeed (unless the action only reads) nor write.
 */
const WRITES: Partial<Record<Fn, Readonly<Record<string, readonly string[]>>>> = {
  moveCar: { request: ['moveCarRequests', 'moveCarLimits', 'reminderLog', 'reminderSubscriptions'] },
  // a police call that succeeds is audited and marks its key's or session's last use; a sign-in try is counted
  admin: {
    importDrivers: ['audit', 'integrationKeys'],
    importVehicles: ['audit', 'integrationKeys'],
    importViolations: ['audit', 'integrationKeys'],
    exportPayments: ['audit', 'officerSessions'],
    refundQueue: ['audit', 'officerSessions'],
    signIn: ['audit', 'signInAttempts', 'officers', 'officerSessions'],
  },
};
interface Fixture {
  v: Person;
  w: Person;
  u: Person;
  car: Car;
  ownBindingId: string;
  violationIds: string[];
  decisionId: string;
  unpaidOrder: string;
  paidOrder: string;
  requestId: string;
  spentVerifyId: string;
  /** Text that only V's answers may contain. */
  private: string[];
}
let fx: Fixture;
/** The police credentials the admin templates carry: an integration key and a finance officer's session. */
let credentials: { key: string; finance: string } | undefined;
function police(): { key: string; finance: string } {
  if (!credentials) throw new Error('the police credentials are not ready (beforeAll failed?)');
  return credentials;
}

beforeAll(async () => {
  store = new StoreReader(cloud().dataDir);
  const [v, w] = [actors.newPerson(), actors.newPerson()];
  await actors.importDrivers([actors.licenceRow(v), actors.licenceRow(w)]);
  const spentVerifyId = await actors.verify(v);
  await actors.verify(w);
  const u = await actors.driver({ verified: false });
  const car = await actors.car(v);
  const own = await actors.bindOwn(car);
  const violationIds = await actors.violations(car, { fine: 5_000 }, { fine: 6_000 }, { fine: 7_000 });
  const decided = await actors.process(v, [violationIds[0] ?? '']);
  const paidDecision = await actors.process(v, [violationIds[1] ?? '']);
  if (!decided.ok || !paidDecision.ok) throw new Error('process failed');
  const unpaid = await actors.ok<{ outTradeNo: string }>(
    'payment',
    { action: 'create', decisionId: decided.data.decisionId },
    v.openid,
  );
  const paid = await actors.ok<{ outTradeNo: string }>(
    'payment',
    { action: 'create', decisionId: paidDecision.data.decisionId },
    v.openid,
  );
  const report = await actors.pay(paid.outTradeNo);
  if (!report.body.acknowledged) throw new Error('payment not acknowledged');
  const requestId = await actors.request(w, car);
  credentials = {
    key: await actors.credentialFor('importDrivers'),
    finance: await actors.credentialFor('exportPayments'),
  };
  fx = {
    v: v,
    w: w,
    u,
    car,
    ownBindingId: own.bindingId ?? '',
    violationIds,
    decisionId: decided.data.decisionId,
    unpaidOrder: unpaid.outTradeNo,
    paidOrder: paid.outTradeNo,
    requestId,
    spentVerifyId,
    private: [
      car.plate,
      ...violationIds,
      decided.data.decisionId,
      paidDecision.data.decisionId,
      unpaid.outTradeNo,
      paid.outTradeNo,
    ],
  };
}, 60_000);
/** An object with an own `key` (an object literal's `__proto__:` would set the prototype instead). */
function own(key: string, value: unknown): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  return o;
}

const OPERATOR_OBJECTS: unknown[] = [
  { $ne: null },
  { $gt: '' },
  { $gte: 0 },
  { $regex: '.*' },
  { $where: 'return true' },
  { $exists: true },
  { $in: ['a', 1] },
  { $nin: [] },
  { $or: [{}, { a: 1 }] },
  { $expr: { $eq: [1, 1] } },
  { $not: { $eq: null } },
  { $elemMatch: { $ne: null } },
];
const PROTO_OBJECTS: unknown[] = [
  own('__proto__', { polluted: true, isAdmin: true }),
  own('constructor', { prototype: { polluted: true } }),
  { prototype: { polluted: true } },
  own('__proto__', null),
];
/** Mongo operators and injections as strings: each has a character no name, id, plate or code allows. */
const OPERATOR_STRINGS = [
  '$ne',
  '{"$ne":null}',
  '{ "$gt": "" }',
  '$where',
  "'; return true; var x='",
  '.*',
  '[$ne]=1',
  '$',
  '../../admin',
  'this.constructor();',
  '{"__proto__":{}}',
];
/**
 * Identifier-like strings: invalid as most ids and codes, but a legal person name and a legal registry violation id
 * ([0-9A-Za-z_.:-]) — so never used on those fields.
 */
const IDENTIFIER_STRINGS = ['__proto__', 'constructor', 'toString', 'prototype', 'a.b.c', 'hasOwnProperty'];

/** Nested just under the local cloud's 256-level limit on request bodies (deeper is refused with HTTP 400 there). */
const DEEP_EVENT: unknown = (() => {
  let value: unknown = { $ne: null };
  for (let i = 0; i < 250; i += 1) value = i % 2 === 0 ? [value] : { plate: value };
  return { action: 'list', plate: value, violationIds: value, rows: [value] };
})();

const unicode = fc.string({ unit: 'binary', maxLength: 12 });
const graphemes = fc.string({ unit: 'grapheme', maxLength: 12 });
const nonString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.oneof(unicode, fc.constantFrom('__proto__', 'constructor', '$ne')), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 3,
  }),
  fc.constantFrom(...OPERATOR_OBJECTS),
  fc.constantFrom(...PROTO_OBJECTS),
);
const controlString = fc
  .tuple(graphemes, fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0001'), graphemes)
  .map(([a, c, b]) => `${a}${c}${b}`);
// Not shrunk: shrinking a 2 000-character string one character at a time takes fast-check minutes.
const hugeString = fc.oneof(
  fc.noShrink(fc.string({ unit: 'grapheme', minLength: 1200, maxLength: 2000 })),
  fc.constant('桂'.repeat(100_000)),
  fc.constant('9'.repeat(5_000)),
  fc.constant(`${'A'.repeat(64)}${'\u{1F4A5}'.repeat(2_000)}`),
);
const blank = fc.constantFrom('', ' ', '\t \n', '\u3000');
/** Never a valid person name or violation id (both allow letters, dots and underscores: identifier-like strings are left out). */
const badName = fc.oneof(nonString, controlString, hugeString, blank, fc.constantFrom(...OPERATOR_STRINGS));
/** Never a valid string for a field with a pattern or a closed set of values (ids, plates, codes, dates, enums). */
const badPatterned = fc.oneof(badName, fc.constantFrom(...IDENTIFIER_STRINGS));
/** Never a valid free-text string (any ordinary text is one). */
const badFreeText = fc.oneof(nonString, controlString, hugeString, blank);
const badInt = fc.oneof(
  fc.integer({ max: -1 }),
  fc.double({ noNaN: false }).filter((x) => !Number.isInteger(x)),
  fc.integer({ min: 2 ** 40, max: 2 ** 52 }),
  fc.constantFrom(-0.01, 0.5, 1.5, 99.99, -100, 1e21, -1e21, Number.MAX_SAFE_INTEGER + 2),
  fc.constantFrom('100', '-1', '1e3', '0x10', 'NaN', 'Infinity', ''),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(...OPERATOR_OBJECTS),
  fc.array(fc.integer(), { minLength: 1, maxLength: 2 }),
);
const badBool = fc.oneof(
  fc.constantFrom('true', 'false', 1, 0, null, '', 'yes'),
  fc.constantFrom(...OPERATOR_OBJECTS),
  fc.integer(),
);
const badIdArray = fc.oneof(
  nonString.filter((x) => !Array.isArray(x)),
  fc.string(),
  fc.constant([]),
  fc.array(fc.constantFrom('V1', 'V2', 'V3'), { minLength: 21, maxLength: 40 }),
  fc.array(badPatterned, { minLength: 1, maxLength: 3 }),
  fc.constantFrom(['VDUP', 'VDUP'], [{ $ne: null }], [{ $gt: '' }], ['$ne'], [['V1']]),
);

type FieldKind = 'patterned' | 'name' | 'free' | 'int' | 'bool' | 'idArray';
function badValue(kind: FieldKind): fc.Arbitrary<unknown> {
  switch (kind) {
    case 'name':
      return badName;
    case 'patterned':
      return badPatterned;
    case 'free':
      return badFreeText;
    case 'int':
      return badInt;
    case 'bool':
      return badBool;
    case 'idArray':
      return badIdArray;
  }
}

/**
 * Plausible but made-up values (valid shapes that point at nothing), for random events. The ID number's check
 * character is wrong on purpose: with '张三' and 'real-person' it would otherwise make a valid startFaceVerify.
 */
const fakeValue = fc.constantFrom<unknown>(
  '桂A00000',
  '桂AD00001',
  '02',
  '52',
  'r0000000000000000000000000000000',
  'V00000000',
  'GA4501000000000000202601010',
  '450103199001011234',
  '张三',
  'real-person',
  'SANDBOX-xxxx',
  '2026-01-01',
  0,
  1,
  200,
);

/** Keys an attacker adds: prototype pollution, identity injection, Mongo-ish, WeChat's own. */
const junkKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'openid',
    '_openid',
    'OPENID',
    'openId',
    'userInfo',
    'WX_OPENID',
    'adminToken',
    '$where',
    '$set',
    '_id',
    'personId',
    'status',
    'amount',
    'totalFee',
    'hasOwnProperty',
    'toString',
  ),
  unicode,
);
const junkValue = fc.oneof(nonString, fakeValue, graphemes, hugeString);

function withJunk(
  base: Record<string, unknown>,
  keys: readonly string[],
  junk: Array<[string, unknown]>,
  injectAs: string,
): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(base))
    Object.defineProperty(event, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const [k, v] of junk) {
    if (keys.includes(k) || k === 'action') continue;
    // Identity injection names the victim; everything else carries the junk.
    const value =
      k === 'openid' || k === '_openid' || k === 'OPENID' || k === 'openId' || k === 'WX_OPENID'
        ? injectAs
        : k === 'userInfo'
          ? { openId: injectAs, appId: 'wx0' }
          : v;
    Object.defineProperty(event, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return event;
}

interface Template {
  action: string;
  fields: Record<string, unknown>;
  kinds: Record<string, FieldKind>;
}

/** Valid events aimed at the fixture's real records; the fuzzer always breaks at least one field of each. */
function templates(fn: Fn): Template[] {
  const { key, finance } = police();
  const { v, car } = fx;
  const driverRow = {
    idNumber: '450103199001011239',
    name: '测试人',
    licenceClass: 'C1',
    firstIssueDate: '2015-03-01',
    validUntil: '2035-03-01',
    status: 'valid',
    cyclePoints: 0,
  };
  const vehicleRow = { plate: '桂AZ9999', plateType: '02', ownerIdNumber: v.idNumber, ownerName: v.name };
  const violationRow = {
    violationId: 'VFZNEW0001',
    plate: car.plate,
    plateType: '02',
    occurredAt: '2026-01-01T08:00:00+08:00',
    place: '民族大道',
    behaviour: '违反禁止标线',
    fine: 10_000,
    points: 1,
    source: 'camera',
    status: 'unprocessed',
    disputed: false,
  };
  const P = 'patterned';
  switch (fn) {
    case 'user':
      return [
        {
          action: 'startFaceVerify',
          fields: { name: v.name, idNumber: v.idNumber, purpose: 'real-person' },
          kinds: { name: 'name', idNumber: P, purpose: P },
        },
        { action: 'confirmFaceVerify', fields: { verifyId: fx.spentVerifyId }, kinds: { verifyId: P } },
      ];
    case 'vehicle':
      return [
        { action: 'bindOwn', fields: { plate: car.plate, plateType: '02' }, kinds: { plate: P, plateType: P } },
        {
          action: 'requestBinding',
          fields: { plate: car.plate, plateType: '02', ownerName: v.name },
          kinds: { plate: P, plateType: P, ownerName: 'name' },
        },
        { action: 'startAuthorize', fields: { requestId: fx.requestId }, kinds: { requestId: P } },
        {
          action: 'approve',
          fields: { requestId: fx.requestId, verifyId: fx.spentVerifyId },
          kinds: { requestId: P, verifyId: P },
        },
        { action: 'reject', fields: { requestId: fx.requestId }, kinds: { requestId: P } },
        { action: 'unbind', fields: { plate: car.plate }, kinds: { plate: P } },
        {
          action: 'revoke',
          fields: { plate: car.plate, bindingId: fx.ownBindingId },
          kinds: { plate: P, bindingId: P },
        },
      ];
    case 'violation':
      return [
        { action: 'process', fields: { violationIds: [fx.violationIds[2]] }, kinds: { violationIds: 'idArray' } },
        { action: 'decision', fields: { decisionId: fx.decisionId }, kinds: { decisionId: P } },
        { action: 'list', fields: { plate: car.plate }, kinds: { plate: P } },
      ];
    case 'payment':
      return [
        { action: 'create', fields: { decisionId: fx.decisionId }, kinds: { decisionId: P } },
        { action: 'status', fields: { orderId: fx.unpaidOrder }, kinds: { orderId: P } },
      ];
    case 'admin': {
      const rowKinds = (
        row: Record<string, unknown>,
        free: string[] = [],
        ints: string[] = [],
        bools: string[] = [],
      ): Record<string, FieldKind> =>
        Object.fromEntries(
          Object.keys(row).map((k) => [
            `rows.0.${k}`,
            free.includes(k)
              ? 'free'
              : ints.includes(k)
                ? 'int'
                : bools.includes(k)
                  ? 'bool'
                  : ['name', 'ownerName', 'violationId'].includes(k)
                    ? 'name'
                    : 'patterned',
          ]),
        );
      return [
        {
          action: 'importDrivers',
          fields: { credential: key, rows: [driverRow] },
          kinds: { credential: P, ...rowKinds(driverRow, [], ['cyclePoints']) },
        },
        {
          action: 'importVehicles',
          fields: { credential: key, rows: [vehicleRow] },
          kinds: { credential: P, ...rowKinds(vehicleRow) },
        },
        {
          action: 'importViolations',
          fields: { credential: key, rows: [violationRow] },
          kinds: { credential: P, ...rowKinds(violationRow, ['place', 'behaviour'], ['fine', 'points'], ['disputed']) },
        },
        {
          action: 'exportPayments',
          fields: { credential: finance, from: '2026-01-01', to: '2026-01-31' },
          kinds: { credential: P, from: P, to: P },
        },
      ];
    }
    case 'reminder':
      return [{ action: 'subscribe', fields: { kinds: ['licenceRenewal'] }, kinds: { kinds: 'idArray' } }];
    case 'certificate':
      return [
        {
          action: 'verify',
          fields: { number: 'XY2026010100000001', code: 'ABCD-EFGH-JKMN' },
          kinds: { number: P, code: 'free' },
        },
        { action: 'revoke', fields: { number: 'XY2026010100000001' }, kinds: { number: P } },
      ];
    case 'tow':
      return [{ action: 'query', fields: { plate: car.plate }, kinds: { plate: P } }];
    case 'insurance':
      return [{ action: 'policy', fields: { plate: car.plate, insurer: 'pingan' }, kinds: { plate: P, insurer: P } }];
    case 'moveCar':
      return [
        { action: 'request', fields: { plate: car.plate, place: '民族大道' }, kinds: { plate: P } }, // place is optional: without it the request is valid
        { action: 'answer', fields: { requestId: fx.requestId, reply: 'coming' }, kinds: { requestId: P, reply: P } },
        // a photo that is not there, in V's own upload folder (uploadDirOf): the checks run, the paid OCR never does
        {
          action: 'recognisePlate',
          fields: {
            fileID: `cloud://local.6c6f-local-1300000000/fault-uploads/${keyOf(`fault-uploads|${fx.v.openid}`)}/plate.jpg`,
          },
          kinds: { fileID: P },
        },
      ];
    case 'fault':
      return [{ action: 'detail', fields: { reportId: fx.requestId }, kinds: { reportId: P } }];
    case 'payCallback':
    case 'guide':
      return [];
  }
}

/** Sets a dotted path (`rows.0.fine`) in a deep copy; `undefined` deletes it. */
function setPath(fields: Record<string, unknown>, dotted: string, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
  const parts = dotted.split('.');
  let target: Record<string, unknown> = copy;
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>;
  const last = parts[parts.length - 1] as string;
  if (value === undefined) Reflect.deleteProperty(target, last);
  else Object.defineProperty(target, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

interface Generated {
  event: unknown;
  caller: string | undefined;
  mode: string;
}

function eventsFor(fn: Fn): fc.Arbitrary<Generated> {
  const callers: Array<string | undefined> = [
    fx.v.openid,
    fx.w.openid,
    fx.u.openid,
    undefined,
    ...(fn === 'user' ? [] : ['o-fz-never-registered']),
  ];
  const caller = fc.constantFrom(...callers);
  const junk = fc.array(fc.tuple(junkKey, junkValue), { maxLength: 4 });
  const ownActions: readonly string[] = fn === 'payCallback' ? [] : ACTIONS[fn];
  // Actions that write with no params at all (a new certificate) cannot be sent "broken"; templates cover the rest.
  const paramActions = ownActions.filter((a) => !(fn === 'certificate' && a === 'issue'));
  const allActions = Object.values(ACTIONS).flat() as string[];

  // A: anything at all as the event (non-objects included), keys that reach prototypes included.
  const anything = fc.record({
    event: fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.anything({
        maxDepth: 3,
        key: fc.oneof(junkKey, fc.constantFrom('action', 'rows', 'plate')),
        withNullPrototype: true,
      }),
      fc.constantFrom<unknown>(...PROTO_OBJECTS, ...OPERATOR_OBJECTS, DEEP_EVENT),
    ),
    caller,
    mode: fc.constant('anything'),
  });
  // B: an action that is not one of this function's (other functions', Object.prototype's, operators, junk).
  const badAction = fc.oneof(
    fc.constantFrom<unknown>(
      ...allActions.filter((a) => !ownActions.includes(a)),
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'LIST',
      ' list',
      'list ',
      'list\u0000',
    ),
    badActionValue(),
    graphemes,
  );
  const wrongAction = fc.record({
    event: fc.tuple(badAction, junk).map(([action, extra]) => withJunk({ action }, [], extra, fx.v.openid)),
    caller,
    mode: fc.constant('wrong action'),
  });
  const arbs: Array<fc.WeightedArbitrary<Generated>> = [
    { arbitrary: anything, weight: 15 },
    { arbitrary: wrongAction, weight: 15 },
  ];
  // C: a valid event aimed at real records with one field broken (changed or removed), plus junk keys.
  const temps = templates(fn);
  if (temps.length > 0) {
    const broken = fc
      .constantFrom(...temps)
      .chain((t) =>
        fc.record({
          t: fc.constant(t),
          path: fc.constantFrom(...Object.keys(t.kinds)),
          remove: fc.boolean(),
          junk,
        }),
      )
      .chain(({ t, path, remove, junk: extra }) =>
        (remove ? fc.constant<unknown>(undefined) : badValue(t.kinds[path] as FieldKind)).map((value) => ({
          event: withJunk(
            { action: t.action, ...setPath(t.fields, path, value) },
            Object.keys(t.fields),
            extra,
            fx.v.openid,
          ),
          mode: `${t.action}.${path} ${remove ? 'removed' : 'broken'}`,
        })),
      );
    arbs.push({
      arbitrary: fc
        .record({ generated: broken, caller })
        .map(({ generated, caller: c }) => ({ ...generated, caller: c })),
      weight: 50,
    });
  }
  // D: this function's actions with random params (plausible fakes, junk, identity injection naming V).
  if (paramActions.length > 0) {
    const params = fc.dictionary(
      fc.oneof(
        junkKey,
        fc.constantFrom(
          'plate',
          'plateType',
          'requestId',
          'verifyId',
          'decisionId',
          'orderId',
          'violationIds',
          'rows',
          'from',
          'to',
          'name',
          'idNumber',
          'purpose',
        ),
      ),
      junkValue,
      { maxKeys: 4 },
    );
    const randomParams = fc.record({
      event: fc
        .tuple(fc.constantFrom(...paramActions), params, junk)
        .map(([action, p, extra]) => withJunk({ ...p, action }, [], extra, fx.v.openid)),
      caller,
      mode: fc.constant('random params'),
    });
    arbs.push({ arbitrary: randomParams, weight: 20 });
  }
  if (fn === 'payCallback') arbs.push({ arbitrary: callbackEvents(caller), weight: 70 });
  return fc.oneof(...arbs);
}

function badActionValue(): fc.Arbitrary<unknown> {
  return fc.oneof(nonString, hugeString, controlString, fc.constantFrom(...OPERATOR_STRINGS));
}

/** WeChat Pay notifications, real and forged, for the fixture's orders: any field broken or lying. */
function callbackEvents(caller: fc.Arbitrary<string | undefined>): fc.Arbitrary<Generated> {
  const outTradeNo = fc.oneof(
    fc.constantFrom<unknown>(fx.unpaidOrder, fx.paidOrder, 'GA0000000000000000000000', 'x'.repeat(33)),
    badPatterned,
  );
  const fee = fc.oneof(fc.constantFrom<unknown>(5_000, 6_000, 1, 0), badInt, fc.constantFrom('5000', '99999999999'));
  const text = fc.oneof(fc.constantFrom<unknown>('SUCCESS', 'FAIL'), badPatterned);
  return fc.record({
    event: fc
      .record(
        {
          returnCode: text,
          resultCode: text,
          outTradeNo,
          transactionId: fc.oneof(fc.constant<unknown>('4200000001'), badPatterned),
          totalFee: fee,
          timeEnd: fc.oneof(fc.constant<unknown>('20260101120000'), badPatterned),
          subOpenid: fc.oneof(fc.constant<unknown>(fx.v.openid), badPatterned),
        },
        { requiredKeys: [] },
      )
      .chain((e) =>
        fc
          .array(fc.tuple(junkKey, junkValue), { maxLength: 3 })
          .map((extra) => withJunk(e, Object.keys(e), extra, fx.v.openid)),
      ),
    caller,
    mode: fc.constant('notification'),
  });
}
function actionOf(event: unknown): unknown {
  return typeof event === 'object' && event !== null ? (event as { action?: unknown }).action : undefined;
}

/**
 * Whether the server itself accepts the event, by its own parser (and, for admin, the token it checks first): such
 * an event may succeed and make its action's writes. payCallback is judged by its own rules below.
 */
function isValidEvent(fn: Fn, event: unknown): boolean {
  if (fn === 'payCallback') return false;
  if (fn === 'admin' && !policeAccepts(event)) return false;
  try {
    parseEvent(fn, event, { today: shanghaiDate(Date.now()) });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the admin function's credential check lets the event through, as authorise.ts decides it: sign-in for
 * anyone, the bootstrap secret for bootstrapOfficer, else the fixture's integration key on an import or its finance
 * officer's session on an action open to that role.
 */
function policeAccepts(event: unknown): boolean {
  const action = actionOf(event);
  const table: Readonly<Record<string, ActionAccess>> = ACTION_ACCESS;
  if (typeof action !== 'string' || !Object.prototype.hasOwnProperty.call(table, action)) return true;
  const access = table[action] as ActionAccess;
  if (access.entry === 'signIn') return true;
  if (access.entry === 'bootstrap') return adminTokenMatches(readAdminToken(event), cloud().adminToken);
  const credential = readCredential(event);
  const { key, finance } = police();
  if (credential === key) return access.integration;
  return credential === finance && (access.roles.length === 0 || access.roles.includes('finance'));
}

/** The collections a valid event may write (none for an invalid one). */
function allowedWrites(fn: Fn, event: unknown): readonly string[] {
  const action = actionOf(event);
  return typeof action === 'string' ? (WRITES[fn]?.[action] ?? []) : [];
}

/** The problem with one answer, or null if it is what the oracle allows. */
function judge(fn: Fn, g: Generated, status: number, body: unknown, valid = isValidEvent(fn, g.event)): string | null {
  const text = jsonText(body);
  if (status !== 200) return `HTTP ${status}`;
  if (idNumbersIn(text).length > 0) return `unmasked ID number in ${text.slice(0, 200)}`;
  if (fn === 'payCallback')
    return JSON.stringify(body) === JSON.stringify(ACK) ? null : `not acknowledged: ${text.slice(0, 200)}`;
  if (isTypedFailure(body)) {
    if (body.code === 'INTERNAL') return `INTERNAL (an unexpected exception) for ${g.mode}`;
    // A Chinese sentence: no JavaScript values leaking into it.
    if (/\[object |function |undefined|NaN|native code/.test(body.message))
      return `message is not a sentence: ${body.message.slice(0, 120)}`;
    return null;
  }
  if (typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === true) {
    const action = actionOf(g.event);
    // A valid event of an action in WRITES may succeed; what it wrote is checked against that action's collections.
    const mayWrite = valid && typeof action === 'string' && WRITES[fn]?.[action] !== undefined;
    if (!mayWrite && (typeof action !== 'string' || !READ_ONLY[fn].includes(action)))
      return `ok: true for a writing action ${String(action)} (${g.mode}${valid ? ', valid but not in WRITES' : ''})`;
    if (fn === 'admin') {
      const data = (body as { data: { inserted?: number; updated?: number } }).data;
      if ((data.inserted ?? 0) !== 0 || (data.updated ?? 0) !== 0)
        return `admin ${action} wrote: ${text.slice(0, 200)}`;
      return null;
    }
    if (g.caller !== fx.v.openid) {
      // W asked V for the car, so W's own outgoing request names its plate; nothing else of V's.
      const leaked = fx.private.filter(
        (marker) => text.includes(marker) && !(g.caller === fx.w.openid && marker === fx.car.plate),
      );
      if (leaked.length) return `V's ${leaked.join(', ')} answered to ${g.caller ?? '(no openid)'} (${g.mode})`;
    }
    return null;
  }
  return `not a typed answer: ${text.slice(0, 200)}`;
}

/** JSON.stringify's text, or `otherwise` for what it cannot write (undefined, a function). */
function jsonText(value: unknown, otherwise = ''): string {
  const text = JSON.stringify(value) as string | undefined;
  return text ?? otherwise;
}

function describeEvent(g: Generated): string {
  const text = jsonText(g.event, String(g.event));
  return `${g.mode} as ${g.caller ?? '(no openid)'}: ${text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text}`;
}

// payCallback last: its notifications (one per event) would otherwise make every later batch's hash slower.
const FUNCTIONS: Fn[] = [
  'user',
  'vehicle',
  'violation',
  'payment',
  'admin',
  'reminder',
  'certificate',
  'guide',
  'tow',
  'insurance',
  'moveCar',
  'fault',
  'payCallback',
];

it('control: the no-write check sees a write, and the judge refuses an untyped answer', async () => {
  const before = store.digest();
  await actors.ok('user', { action: 'register' }, 'o-fz-control');
  expect(store.digest().hash).not.toBe(before.hash);
  const g: Generated = { event: { action: 'process' }, caller: fx.v.openid, mode: 'control' };
  expect(judge('violation', g, 500, { errCode: 'INTERNAL' })).toMatch(/HTTP 500/);
  expect(judge('violation', g, 200, { ok: false, code: 'INTERNAL', message: '系统出了点问题' })).toMatch(/INTERNAL/);
  expect(judge('violation', g, 200, { ok: true, data: {} })).toMatch(/writing action/);
  expect(
    judge('violation', { ...g, event: { action: 'list' }, caller: fx.w.openid }, 200, {
      ok: true,
      data: { id: fx.violationIds[0] },
    }),
  ).toMatch(/answered to/);
  expect(judge('payCallback', g, 200, { errcode: 1, errmsg: 'retry later' })).toMatch(/not acknowledged/);
  // The server's parser decides validity: junk keys do not make a request invalid, a broken plate does.
  const request = { action: 'request', plate: '桂A00000', amount: 'real-person', '\u{1F4A5}': '' };
  expect(isValidEvent('moveCar', request)).toBe(true);
  expect(judge('moveCar', { ...g, event: request }, 200, { ok: true, data: {} })).toBeNull();
  const broken = { ...request, plate: '$ne' };
  expect(isValidEvent('moveCar', broken)).toBe(false);
  expect(judge('moveCar', { ...g, event: broken }, 200, { ok: true, data: {} })).toMatch(/writing action/);
  expect(isValidEvent('admin', { action: 'refundQueue' })).toBe(false);
  // the bootstrap secret opens nothing but bootstrapOfficer; a key only the imports; an officer only their roles
  expect(isValidEvent('admin', { action: 'refundQueue', adminToken: cloud().adminToken })).toBe(false);
  expect(isValidEvent('admin', { action: 'refundQueue', credential: police().key })).toBe(false);
  expect(isValidEvent('admin', { action: 'refundQueue', credential: police().finance })).toBe(true);
  expect(isValidEvent('admin', { action: 'importGuides', credential: police().finance, rows: [] })).toBe(false);
  expect(isValidEvent('admin', { action: 'importGuides', credential: police().key, rows: [] })).toBe(true);
  // Valid but not expected to succeed here: a bind of a made-up plate writing would be a bug.
  const bind = { action: 'bindOwn', plate: '桂A00000', plateType: '02' };
  expect(isValidEvent('vehicle', bind)).toBe(true);
  expect(allowedWrites('vehicle', bind)).toEqual([]);
  expect(judge('vehicle', { ...g, event: bind }, 200, { ok: true, data: {} })).toMatch(/not in WRITES/);
});

describe.each(FUNCTIONS)('fuzzing %s', (fn) => {
  it(
    `${SCALE.fuzz} generated events: typed errors only, no 500, no crash, no write`,
    async () => {
      const started = Date.now();
      // a use of the finance session now, so it is alive however long the functions before took
      if (fn === 'admin') {
        await actors.admin('exportPayments', { from: '2026-01-01', to: '2026-01-01' });
        credentials = { ...police(), finance: await actors.credentialFor('exportPayments') };
      }
      const counted = COUNTED[fn] ?? [];
      // Every collection a valid event of this function may write: left out of the final check once one was sent.
      const writable = [...counted, ...Object.values(WRITES[fn] ?? {}).flat()];
      const initial = store.digest(counted);
      const initialWritable = store.digest(writable);
      let sent = 0;
      const modes: Record<string, number> = {};
      const codes: Record<string, number> = {};
      const validByAction: Record<string, number> = {};
      const result = await fc.check(
        fc.asyncProperty(fc.array(eventsFor(fn), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const notificationsBefore = fn === 'payCallback' ? store.count('payNotifications') : 0;
          const lastNotification = fn === 'payCallback' ? store.lastVersion('payNotifications') : 0;
          const problems: string[] = [];
          /** Sends `events` at once and judges each answer; reports a change of the store outside `allowed`. */
          const send = async (events: Generated[], valid: boolean, allowed: readonly string[]): Promise<void> => {
            const before = store.digest(allowed);
            const answers = await Promise.all(events.map((g) => cloud().call(fn, g.event, g.caller)));
            sent += events.length;
            answers.forEach((answer, i) => {
              const g = events[i] as Generated;
              const mode = g.mode.replace(/ (removed|broken)$/, '');
              modes[mode] = (modes[mode] ?? 0) + 1;
              const body = answer.body as { code?: string; errcode?: number } | null;
              const code = body?.code ?? (body?.errcode !== undefined ? `errcode ${body.errcode}` : 'ok');
              codes[code] = (codes[code] ?? 0) + 1;
              const problem = judge(fn, g, answer.status, answer.body, valid);
              if (problem) problems.push(`${problem}\n    event: ${describeEvent(g)}`);
            });
            const after = store.digest(allowed);
            if (after.hash !== before.hash) {
              const changed = Object.keys(after.counts).filter((c) => after.counts[c] !== before.counts[c]);
              const what = valid
                ? `valid events wrote outside their actions' collections (${allowed.join(', ')})`
                : 'the batch wrote to the database';
              problems.push(
                `${what} (collections whose count changed: ${changed.join(', ') || 'none — a document was modified'})\n    events:\n${events.map((g) => `      ${describeEvent(g)}`).join('\n')}`,
              );
            }
          };
          // Invalid events first, all at once, under the strict no-write check; then the valid ones, whose writes
          // are allowed in their actions' own collections only.
          const validity = batch.map((g) => isValidEvent(fn, g.event));
          const invalidEvents = batch.filter((_, i) => !validity[i]);
          const validEvents = batch.filter((_, i) => validity[i]);
          if (invalidEvents.length > 0) await send(invalidEvents, false, counted);
          if (validEvents.length > 0) {
            for (const g of validEvents) {
              const action = String(actionOf(g.event));
              validByAction[action] = (validByAction[action] ?? 0) + 1;
            }
            const allowed = new Set([...counted, ...validEvents.flatMap((g) => allowedWrites(fn, g.event))]);
            await send(validEvents, true, [...allowed]);
          }
          if (fn === 'payCallback') {
            const recorded = store.count('payNotifications') - notificationsBefore;
            if (recorded !== batch.length) problems.push(`${batch.length} notifications sent, ${recorded} recorded`);
            for (const n of store.writtenAfter<StoredDoc & { outcome: string; event: Record<string, unknown> }>(
              'payNotifications',
              lastNotification,
            )) {
              if (n.outcome === 'received' || n.outcome === 'error')
                problems.push(`notification ${n._id} left ${n.outcome}`);
              for (const [key, value] of Object.entries(n.event)) {
                if (!(value === null || typeof value === 'number' || (typeof value === 'string' && value.length <= 64)))
                  problems.push(`notification ${n._id} stored ${key} = ${JSON.stringify(value).slice(0, 80)}`);
              }
            }
          }
          if (problems.length) throw new Error(problems.join('\n'));
        }),
        // RELIABILITY_SEED replays a failure: fast-check draws the same events from the same seed.
        { numRuns: Math.ceil(SCALE.fuzz / BATCH), ...(seed === undefined ? {} : { seed }) },
      );
      if (result.failed) {
        // fast-check's own report prints every value of the batch in full (some are 100 000 characters long).
        const cause =
          result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
        throw new Error(
          `fuzzing ${fn} failed after ${result.numRuns} batches (seed ${result.seed}, path "${result.counterexamplePath ?? ''}", shrunk ${result.numShrinks} times):\n${cause.slice(0, 4000)}`,
        );
      }
      // Still alive and unchanged: the process answers, V's world is as it was.
      const health = await cloud().request<{ ok: boolean }>('GET', '/health');
      expect(health.body.ok).toBe(true);
      const anyWriter = Object.keys(validByAction).some((action) => (WRITES[fn]?.[action] ?? []).length > 0);
      if (anyWriter) expect(store.digest(writable).hash).toBe(initialWritable.hash);
      else expect(store.digest(counted).hash).toBe(initial.hash);
      const profile = await actors.ok<{ verified: boolean }>('user', { action: 'profile' }, fx.v.openid);
      expect(profile.verified).toBe(true);
      expect(sent).toBeGreaterThanOrEqual(SCALE.fuzz);
      console.log(
        `fuzz ${fn}: ${sent} events in ${((Date.now() - started) / 1000).toFixed(1)} s; kinds ${JSON.stringify(modes)}; valid ${JSON.stringify(validByAction)}; answers ${JSON.stringify(codes)}`,
      );
    },
    timeout(60_000, 1_800_000),
  );
});
