/**
 * Authorisation matrix: every action of every function, called by each kind of caller —
 *   N unregistered openid, A no openid at all, U registered but not verified, D another verified driver (no relation to
 *   the car), O the car's owner, R a driver whose binding of the car the owner revoked, B a driver the owner approved —
 * against the records of one owner's car. Only the entitled callers succeed; every refusal is the expected typed code
 * and writes nothing (the whole store is hashed before and after each refused call, see store-reader.ts); reads
 * answer each caller with their own data only. Each row runs on a world of its own, so one row's success cannot make
 * another's refusal pass. At the end, every response of the file is scanned for unmasked ID numbers (any valid
 * 18-character number) and for the full name of anyone.
 */
import type { ErrorCode } from '../../miniprogram/domain/core/errors';
import { maskName } from '../../miniprogram/domain/account/id-number';
import { useLocalCloud } from '../helpers/local-cloud';
import {
  World as StoryWorld,
  inParallel,
  type Car,
  type Event,
  type Fn,
  type Person,
  type Reply,
} from '../helpers/story';
import { StoreReader } from './store-reader';

jest.setTimeout(60_000);
const cloud = useLocalCloud({ env: { FACE_VERIFY_STARTS_PER_HOUR: '100000' } }, 60_000);
const actors = new StoryWorld(cloud, 'az');
let store: StoreReader;
beforeAll(() => {
  store = new StoreReader(cloud().dataDir);
});
// beforeAll may have failed before the store was opened
afterAll(() => (store as StoreReader | undefined)?.close());

type Role = 'N' | 'A' | 'U' | 'D' | 'R' | 'B' | 'O';
const ROLES: Role[] = ['N', 'A', 'U', 'D', 'R', 'B', 'O'];
const VERIFIED: Role[] = ['D', 'R', 'B', 'O'];
const REGISTERED: Role[] = ['U', ...VERIFIED];

interface World {
  people: Record<Exclude<Role, 'N' | 'A'>, Person> & { E: Person };
  unregistered: string;
  car: Car;
  /** O's second car, registered to O and not bound by anyone. */
  car2: Car;
  violationIds: string[];
  bBindingId: string;
  decisionId: string;
  orderId: string;
  outTradeNo: string;
  /** E (a fifth driver) asked O for the car; pending. */
  requestId: string;
  /** Filled by a row's prepare(). */
  verifyId: string;
}

let worlds = 0;

/** A fresh world: O owns the car (bound) and car2; B drives it; R drove it until O revoked; E has asked; O has a decision and an order. */
async function world(): Promise<World> {
  worlds += 1;
  const [O, B, R, D, E] = Array.from({ length: 5 }, () => actors.newPerson()) as [
    Person,
    Person,
    Person,
    Person,
    Person,
  ];
  const U = actors.newPerson();
  await actors.importDrivers([O, B, R, D, E, U].map((p) => actors.licenceRow(p)));
  await inParallel([O, B, R, D, E], 5, (p) => actors.verify(p));
  await actors.ok('user', { action: 'register' }, U.openid);
  const [car, car2] = await actors.cars([O, O]);
  await actors.bindOwn(car as Car);
  const violationIds = await actors.violations(car as Car, { fine: 5_000 }, { fine: 6_000 }, { fine: 7_000 });
  const bBindingId = await actors.bindOther(B, car as Car);
  const rBindingId = await actors.bindOther(R, car as Car);
  await actors.ok('vehicle', { action: 'revoke', plate: (car as Car).plate, bindingId: rBindingId }, O.openid);
  const decided = await actors.process(O, [violationIds[2] as string]);
  if (!decided.ok) throw new Error(JSON.stringify(decided));
  const order = await actors.ok<{ orderId: string; outTradeNo: string }>(
    'payment',
    { action: 'create', decisionId: decided.data.decisionId },
    O.openid,
  );
  const requestId = await actors.request(E, car as Car);
  return {
    people: { O, B, R, D, E, U },
    unregistered: `o-az-nobody-${worlds}`,
    car: car as Car,
    car2: car2 as Car,
    violationIds,
    bBindingId,
    decisionId: decided.data.decisionId,
    orderId: order.orderId,
    outTradeNo: order.outTradeNo,
    requestId,
    verifyId: '',
  };
}

function openidOf(w: World, role: Role): string | undefined {
  if (role === 'N') return w.unregistered;
  if (role === 'A') return undefined;
  return w.people[role].openid;
}

/** What only O (and, for the car's own records, B) may see. */
function ownersSecrets(w: World): string[] {
  return [w.car.plate, w.car2.plate, ...w.violationIds, w.decisionId, w.outTradeNo, w.requestId];
}

interface Row {
  fn: Fn;
  action: string;
  /** Who succeeds. */
  entitled: Role[];
  /** The event, the same for every caller unless it depends on who calls. */
  event: (w: World, role: Role) => Event;
  /** The refusal each non-entitled verified caller gets (N and A: UNAUTHENTICATED, U: NOT_VERIFIED unless listed). */
  refusals?: Partial<Record<Role, ErrorCode>>;
  prepare?: (w: World) => Promise<void>;
  /** Checks a success; `text` is the answer as JSON. */
  check?: (w: World, role: Role, data: unknown, text: string) => void;
}

const notFromAnother = (w: World, role: Role, text: string): void => {
  if (role === 'O' || role === 'B') return;
  expect({ role, leaked: ownersSecrets(w).filter((s) => text.includes(s)) }).toEqual({ role, leaked: [] });
};

const ROWS: Row[] = [
  {
    fn: 'user',
    action: 'profile',
    entitled: REGISTERED,
    event: () => ({ action: 'profile' }),
    check: (w, role, data) => {
      const profile = data as { verified: boolean; name: string | null };
      expect(profile).toMatchObject(
        role === 'U' ? { verified: false, name: null } : { verified: true, name: maskName(w.people[role as 'O'].name) },
      );
    },
  },
  {
    // Anyone registered may start a face verification for any name: the face scan decides, and the verifyId is theirs.
    fn: 'user',
    action: 'startFaceVerify',
    entitled: REGISTERED,
    event: (w) => ({
      action: 'startFaceVerify',
      name: w.people.O.name,
      idNumber: w.people.O.idNumber,
      purpose: 'real-person',
    }),
  },
  {
    fn: 'user',
    action: 'confirmFaceVerify',
    entitled: ['U'],
    prepare: async (w) => {
      const { verifyId } = await actors.ok<{ verifyId: string }>(
        'user',
        { action: 'startFaceVerify', name: w.people.U.name, idNumber: w.people.U.idNumber, purpose: 'real-person' },
        w.people.U.openid,
      );
      await actors.face(verifyId, true);
      w.verifyId = verifyId;
    },
    event: (w) => ({ action: 'confirmFaceVerify', verifyId: w.verifyId }),
    refusals: { D: 'FORBIDDEN', R: 'FORBIDDEN', B: 'FORBIDDEN', O: 'FORBIDDEN' },
  },
  {
    fn: 'vehicle',
    action: 'list',
    entitled: VERIFIED,
    event: () => ({ action: 'list' }),
    check: (w, role, data, text) => {
      notFromAnother(w, role, text);
      const vehicles = (
        data as {
          vehicles: Array<{ plate: string; relation: string; ownerName?: string; drivers?: Array<{ name: string }> }>;
        }
      ).vehicles;
      if (role === 'B')
        expect(vehicles.find((v) => v.plate === w.car.plate)).toMatchObject({
          relation: 'other',
          ownerName: maskName(w.people.O.name),
        });
      if (role === 'O')
        expect(vehicles.find((v) => v.plate === w.car.plate)?.drivers?.map((d) => d.name)).toEqual([
          maskName(w.people.B.name),
        ]);
    },
  },
  {
    fn: 'vehicle',
    action: 'bindOwn',
    entitled: ['O'],
    event: (w) => ({ action: 'bindOwn', plate: w.car2.plate, plateType: w.car2.plateType }),
    refusals: { D: 'NOT_OWNER', R: 'NOT_OWNER', B: 'NOT_OWNER' },
  },
  {
    // D never had the car; R had it until revoked and may ask again.
    fn: 'vehicle',
    action: 'requestBinding',
    entitled: ['D', 'R'],
    event: (w) => ({
      action: 'requestBinding',
      plate: w.car.plate,
      plateType: w.car.plateType,
      ownerName: w.people.O.name,
    }),
    refusals: { O: 'OWN_VEHICLE', B: 'ALREADY_BOUND' },
  },
  {
    fn: 'vehicle',
    action: 'listRequests',
    entitled: VERIFIED,
    event: () => ({ action: 'listRequests' }),
    check: (w, role, data, text) => {
      if (role !== 'O') expect({ role, sees: text.includes(w.requestId) }).toEqual({ role, sees: false });
      const { incoming } = data as { incoming: Array<{ requestId: string; requesterName?: string }> };
      if (role === 'O')
        expect(incoming.find((r) => r.requestId === w.requestId)?.requesterName).toBe(maskName(w.people.E.name));
    },
  },
  {
    fn: 'vehicle',
    action: 'startAuthorize',
    entitled: ['O'],
    event: (w) => ({ action: 'startAuthorize', requestId: w.requestId }),
    refusals: { D: 'NOT_OWNER', R: 'NOT_OWNER', B: 'NOT_OWNER' },
  },
  {
    fn: 'vehicle',
    action: 'approve',
    entitled: ['O'],
    prepare: async (w) => {
      w.verifyId = await actors.authorize(w.people.O, w.requestId);
    },
    event: (w) => ({ action: 'approve', requestId: w.requestId, verifyId: w.verifyId }),
    refusals: { D: 'NOT_OWNER', R: 'NOT_OWNER', B: 'NOT_OWNER' },
  },
  {
    fn: 'vehicle',
    action: 'reject',
    entitled: ['O'],
    event: (w) => ({ action: 'reject', requestId: w.requestId }),
    refusals: { D: 'NOT_OWNER', R: 'NOT_OWNER', B: 'NOT_OWNER' },
  },
  {
    // B lets go of the car; O unbinds their own binding of it. D never had it; R lost it.
    fn: 'vehicle',
    action: 'unbind',
    entitled: ['B', 'O'],
    event: (w) => ({ action: 'unbind', plate: w.car.plate }),
    refusals: { D: 'NOT_FOUND', R: 'NOT_FOUND' },
  },
  {
    fn: 'vehicle',
    action: 'revoke',
    entitled: ['O'],
    event: (w) => ({ action: 'revoke', plate: w.car.plate, bindingId: w.bBindingId }),
    refusals: { D: 'NOT_OWNER', R: 'NOT_OWNER', B: 'NOT_OWNER' },
  },
  {
    fn: 'violation',
    action: 'list',
    entitled: VERIFIED,
    event: () => ({ action: 'list' }),
    check: (w, role, data, text) => {
      notFromAnother(w, role, text);
      const ids = (data as { violations: Array<{ id: string }> }).violations.map((v) => v.id);
      if (role === 'O' || role === 'B') expect(ids.sort()).toEqual([...w.violationIds].sort());
    },
  },
  {
    fn: 'violation',
    action: 'list (plate)',
    entitled: VERIFIED,
    event: (w) => ({ action: 'list', plate: w.car.plate }),
    check: (w, role, _data, text) => notFromAnother(w, role, text),
  },
  {
    // The owner and the approved driver may process the car's violations (each their own one here).
    fn: 'violation',
    action: 'process',
    entitled: ['O', 'B'],
    event: (w, role) => ({ action: 'process', violationIds: [w.violationIds[role === 'B' ? 1 : 0]] }),
    refusals: { D: 'NOT_FOUND', R: 'NOT_FOUND' },
  },
  {
    // The decision is the processor's: the driver of the same car does not see it.
    fn: 'violation',
    action: 'decision',
    entitled: ['O'],
    event: (w) => ({ action: 'decision', decisionId: w.decisionId }),
    refusals: { D: 'NOT_FOUND', R: 'NOT_FOUND', B: 'NOT_FOUND' },
  },
  {
    fn: 'payment',
    action: 'create',
    entitled: ['O'],
    event: (w) => ({ action: 'create', decisionId: w.decisionId }),
    refusals: { D: 'NOT_FOUND', R: 'NOT_FOUND', B: 'NOT_FOUND' },
  },
  {
    fn: 'payment',
    action: 'status',
    entitled: ['O'],
    event: (w) => ({ action: 'status', orderId: w.orderId }),
    refusals: { D: 'NOT_FOUND', R: 'NOT_FOUND', B: 'NOT_FOUND' },
  },
  {
    fn: 'payment',
    action: 'list',
    entitled: VERIFIED,
    event: () => ({ action: 'list' }),
    check: (w, role, _data, text) => {
      if (role !== 'O') expect({ role, sees: text.includes(w.outTradeNo) }).toEqual({ role, sees: false });
    },
  },
  ...(['importDrivers', 'importVehicles', 'importViolations', 'exportPayments', 'refundQueue'] as const).map(
    (action): Row => ({
      fn: 'admin',
      action,
      entitled: [],
      event: (w, role) => ({
        action,
        ...(action.startsWith('import')
          ? { rows: [] }
          : action === 'exportPayments'
            ? { from: '2026-01-01', to: '2026-01-31' }
            : {}),
        // Users guessing: no credential, their own openid, an operator, the owner's ID number, a made-up session,
        // and the deployer's bootstrap secret, which opens only bootstrapOfficer.
        ...(role === 'D'
          ? { adminToken: openidOf(w, role), credential: openidOf(w, role) }
          : role === 'R'
            ? { adminToken: { $ne: null }, credential: { $ne: null } }
            : role === 'O'
              ? { adminToken: w.people.O.idNumber, credential: `ps_${'A'.repeat(43)}` }
              : role === 'B'
                ? { adminToken: cloud().adminToken, credential: cloud().adminToken }
                : {}),
      }),
      refusals: Object.fromEntries(ROLES.map((r) => [r, 'FORBIDDEN'])),
    }),
  ),
  // register last in each list only because it is the one action an unregistered caller is entitled to.
  {
    fn: 'user',
    action: 'register',
    entitled: ['N', ...REGISTERED],
    event: () => ({ action: 'register' }),
  },
];

/** The code a non-entitled caller must get. */
function refusalFor(row: Row, role: Role): ErrorCode {
  const listed = row.refusals?.[role];
  if (listed) return listed;
  if (role === 'N' || role === 'A') return 'UNAUTHENTICATED';
  if (role === 'U') return 'NOT_VERIFIED';
  throw new Error(`row ${row.fn}.${row.action} does not say what ${role} gets`);
}

const outcomes: string[] = [];

describe.each(ROWS.map((row) => [`${row.fn}.${row.action}`, row] as const))('%s', (_name, row) => {
  it(`only ${row.entitled.length ? row.entitled.join(', ') : 'the police system (an officer with the role, or an integration key)'} succeed${row.entitled.length === 1 ? 's' : ''}; every other caller is refused and nothing is written`, async () => {
    const w = await world();
    await row.prepare?.(w);
    const refused = ROLES.filter((r) => !row.entitled.includes(r));
    const line: string[] = [];
    for (const role of refused) {
      const before = store.digest();
      const reply = await actors.call(row.fn, row.event(w, role), openidOf(w, role));
      expect({ role, reply }).toMatchObject({ role, reply: { ok: false, code: refusalFor(row, role) } });
      expect({ role, wrote: store.digest().hash !== before.hash }).toEqual({ role, wrote: false });
      line.push(`${role}:${(reply as { code: string }).code}`);
    }
    for (const role of row.entitled) {
      const reply: Reply<unknown> = await actors.call(row.fn, row.event(w, role), openidOf(w, role));
      expect({ role, reply }).toMatchObject({ role, reply: { ok: true } });
      if (reply.ok) row.check?.(w, role, reply.data, JSON.stringify(reply.data));
      line.push(`${role}:ok`);
    }
    if (row.fn === 'admin') {
      const reply = await actors.call('admin', {
        ...row.event(w, 'A'),
        credential: await actors.credentialFor(row.action),
      });
      expect(reply).toMatchObject({ ok: true });
      line.push('police:ok');
    }
    outcomes.push(`${row.fn}.${row.action}: ${line.join(' ')}`);
  });
});

describe('payCallback', () => {
  it('anyone may call it and is acknowledged, but a forged success settles nothing, whoever sends it', async () => {
    const w = await world();
    for (const role of ROLES) {
      const before = store.digest(['payNotifications']);
      const reply = await actors.call(
        'payCallback',
        {
          returnCode: 'SUCCESS',
          resultCode: 'SUCCESS',
          outTradeNo: w.outTradeNo,
          totalFee: 7_000,
          transactionId: '4200000000000000000001',
          timeEnd: '20260101120000',
        },
        openidOf(w, role),
      );
      expect({ role, reply }).toEqual({ role, reply: { errcode: 0, errmsg: 'OK' } });
      expect({ role, wrote: store.digest(['payNotifications']).hash !== before.hash }).toEqual({ role, wrote: false });
    }
    const status = await actors.ok<{ status: string }>(
      'payment',
      { action: 'status', orderId: w.orderId },
      w.people.O.openid,
    );
    expect(status.status).toBe('unpaid');
  });
});

describe('whole file', () => {
  it("no response carried an unmasked ID number or anyone's full name", () => {
    console.log(`authorisation matrix (${outcomes.length} rows):\n${outcomes.join('\n')}`);
    expect(actors.responses.length).toBeGreaterThan(0);
    expect(actors.leaks()).toEqual([]);
  });
});
