// Answers for the page tests' cloud handlers, typed by the contract (domain/api.ts's action table): a stub that no
// longer matches what a function answers fails the type-check instead of passing against a page that would break.
import type { ActionName, ActionParams, ActionResult, FunctionName } from '../../miniprogram/domain/api';
import type { CertificateSnapshot } from '../../miniprogram/domain/certificate/certificate';
import { ERROR_MESSAGES, type ErrorCode, type ErrorDetails } from '../../miniprogram/domain/core/errors';

// the contract's item types, named by the action that answers them rather than by where they are declared
type ProfileResult = ActionResult<'user', 'profile'>;
type LicenceView = NonNullable<ProfileResult['licence']>;
type PointsHistoryResult = ActionResult<'user', 'points'>;
type PointsEntryItem = PointsHistoryResult['entries'][number];
type VehicleItem = ActionResult<'vehicle', 'list'>['vehicles'][number];
type BindingRequestItem = ActionResult<'vehicle', 'listRequests'>['incoming'][number];
type ViolationItem = ActionResult<'violation', 'list'>['violations'][number];
type OrderItem = ActionResult<'payment', 'list'>['orders'][number];
type CertificateDetail = ActionResult<'certificate', 'detail'>;
type MoveCarRequestView = ActionResult<'moveCar', 'status'>;
type IncomingMoveCarItem = ActionResult<'moveCar', 'answer'>;
type FaultItem = ActionResult<'fault', 'list'>['reports'][number];
type FaultDetail = ActionResult<'fault', 'detail'>;

type Dict = Record<string, unknown>;

/** The envelope a function answers with when the action succeeded. */
export interface Ok<T> {
  readonly ok: true;
  readonly data: T;
}

/** The envelope of a refusal: the code, the sentence a page shows, and what the function adds. */
export interface Failure {
  readonly ok: false;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: ErrorDetails;
}

export function ok<T>(data: T): Ok<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message: string = ERROR_MESSAGES[code], details?: ErrorDetails): Failure {
  return details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };
}

/** What the page sends for `action` of `fn`: `{ action, ...params }`. */
export type Sent<F extends FunctionName, A extends ActionName<F>> = { readonly action: A } & ActionParams<F, A>;

/** What a stub for `action` of `fn` may answer: the contract's result or a refusal, now or later. */
export type Answer<F extends FunctionName, A extends ActionName<F>> =
  Ok<ActionResult<F, A>> | Failure | Promise<Ok<ActionResult<F, A>> | Failure>;

/** One stub per action of `fn`, each typed by the contract: a changed result breaks the stubs that answer it. */
export type Answers<F extends FunctionName> = {
  readonly [A in ActionName<F>]?: (data: Sent<F, A>) => Answer<F, A>;
};

/** The next of the answers a test gives in turn; a call past the last throws, as an unexpected action does. */
export function next<T>(answers: T[]): T {
  const answer = answers.shift();
  if (answer === undefined) throw new Error('no answer left for this call');
  return answer;
}

/** A cloud function handler that answers by action; an action without an answer fails the test loudly. */
export function byAction<F extends FunctionName>(fn: F, answers: Answers<F>): (data: Dict) => unknown {
  return (data) => {
    const action = String(data['action']);
    // the page's event is what the contract says it sends for `action`: the stubs are typed by that, this is the seam
    const answer = (answers as Partial<Record<string, (data: Dict) => unknown>>)[action];
    if (answer === undefined) throw new Error(`unexpected action ${fn}.${action}`);
    return answer(data);
  };
}

export const LICENCE: LicenceView = {
  class: 'C1',
  cyclePoints: 3,
  cycleStart: '2025-06-01',
  cycleEnd: '2026-05-31',
  validUntil: '2031-06-01',
  status: 'valid',
  valid: true,
  mayDriveSmallCar: true,
  renewalDue: false,
};

export function profile(overrides: Partial<ProfileResult> = {}): ProfileResult {
  return { verified: true, name: '张*', idNumber: '450***********123X', licence: LICENCE, ...overrides };
}

export function violation(id: string, overrides: Partial<ViolationItem> = {}): ViolationItem {
  return {
    id,
    plate: '桂A12345',
    occurredAt: '2025-09-01T08:05:00+08:00',
    place: '南宁市青秀区民族大道与竹溪大道交叉口',
    behaviour: '驾驶机动车违反道路交通信号灯通行',
    fine: 20000,
    points: 6,
    surcharge: 0,
    processable: true,
    reasons: [],
    status: 'unprocessed',
    // the state the server would send for these eligibility fields, unless the test gives its own
    state:
      overrides.processable === false
        ? { kind: 'notProcessable', reasons: overrides.reasons ?? [] }
        : { kind: 'processable' },
    ...overrides,
  };
}

export function vehicle(plate: string, overrides: Partial<VehicleItem> = {}): VehicleItem {
  return { plate, plateType: plate.length === 8 ? '52' : '02', relation: 'own', bindingId: `b-${plate}`, ...overrides };
}

export function request(requestId: string, overrides: Partial<BindingRequestItem> = {}): BindingRequestItem {
  return {
    requestId,
    plate: '桂A12345',
    status: 'pending',
    requesterName: '李*',
    createdAt: '2025-09-01T10:00:00+08:00',
    expiresAt: '2025-09-02T10:00:00+08:00',
    ...overrides,
  };
}

export function order(orderId: string, overrides: Partial<OrderItem> = {}): OrderItem {
  return {
    orderId,
    decisionId: `d-${orderId}`,
    outTradeNo: `GA${orderId}`,
    amount: 20000,
    status: 'paid',
    decisionNo: '4501000000012345',
    createdAt: '2025-09-02T09:00:00+08:00',
    paidAt: '2025-09-02T09:01:00+08:00',
    ...overrides,
  };
}
export function pointsEntry(decisionNo: string, overrides: Partial<PointsEntryItem> = {}): PointsEntryItem {
  return {
    decisionId: `d-${decisionNo}`,
    decisionNo,
    decidedOn: '2025-09-02',
    points: 3,
    violations: [
      { plate: '桂A12345', occurredAt: '2025-09-01T08:05:00+08:00', behaviour: '机动车违反禁止标线指示', points: 3 },
    ],
    paid: true,
    kind: 'cycle',
    ...overrides,
  };
}

export function pointsHistory(overrides: Partial<PointsHistoryResult> = {}): PointsHistoryResult {
  return {
    cycleStart: '2025-06-01',
    cycleEnd: '2026-05-31',
    cyclePoints: 3,
    carriedOver: 0,
    otherPoints: 0,
    remaining: 9,
    atFullMarks: false,
    entries: [pointsEntry('4501000000000123')],
    ...overrides,
  };
}

export const SNAPSHOT: CertificateSnapshot = {
  name: '张*',
  idNumber: '450***********123X',
  licenceClass: 'C1',
  licenceStatus: 'valid',
  licenceValidUntil: '2031-06-01',
  cycleStart: '2025-06-01',
  cycleEnd: '2026-05-31',
  cyclePoints: 6,
  violationsByKind: [
    { behaviour: '驾驶机动车违反道路交通信号灯通行', count: 1, points: 6 },
    { behaviour: '机动车违反禁止停车标志指示', count: 2, points: 0 },
  ],
  violationCount: 3,
  unpaidCount: 1,
  unpaidAmount: 20600,
  asOf: '2025-10-08',
};

export function certificate(number: string, overrides: Partial<CertificateDetail> = {}): CertificateDetail {
  return {
    number,
    status: 'valid',
    issuedAt: '2025-10-08T02:00:00.000Z',
    expiresAt: '2025-11-07T02:00:00.000Z',
    code: 'ABCD-EFGH-JKMN',
    snapshot: SNAPSHOT,
    ...overrides,
  };
}
export function moveCarView(requestId: string, overrides: Partial<MoveCarRequestView> = {}): MoveCarRequestView {
  return {
    requestId,
    plate: '桂AB2C34',
    place: '万象城地下停车场 B2',
    createdAt: '2026-11-24T02:05:00.000Z',
    outcome: 'notified',
    ...overrides,
  };
}

export function incomingMoveCar(requestId: string, overrides: Partial<IncomingMoveCarItem> = {}): IncomingMoveCarItem {
  return {
    requestId,
    plate: '桂A12345',
    place: '东门停车场出口',
    createdAt: '2026-11-24T02:05:00.000Z',
    answerable: true,
    ...overrides,
  };
}

export function faultItem(reportId: string, overrides: Partial<FaultItem> = {}): FaultItem {
  return {
    reportId,
    type: 'signal',
    status: 'submitted',
    description: '东向西方向红灯不亮',
    place: '民族大道与竹溪大道交叉口',
    createdAt: '2026-11-24T02:05:00.000Z',
    updatedAt: '2026-11-24T02:05:00.000Z',
    note: '',
    photoCount: 1,
    ...overrides,
  };
}

export function faultDetail(reportId: string, overrides: Partial<FaultDetail> = {}): FaultDetail {
  return {
    ...faultItem(reportId),
    latitude: 22.8154,
    longitude: 108.3921,
    name: '民族大道与竹溪大道交叉口',
    address: '广西壮族自治区南宁市青秀区民族大道',
    photos: [{ url: `http://127.0.0.1:3000/storage/fault-reports/${reportId}/photo-1.jpg?sign=x&t=1` }],
    history: [{ status: 'submitted', at: '2026-11-24T02:05:00.000Z', note: '' }],
    ...overrides,
  };
}

type DecisionDetail = ActionResult<'violation', 'decision'>;
type PaymentReceipt = ActionResult<'payment', 'receipt'>;

/** An unpaid two-violation decision of 李*, 3 days old: 250 yuan due today, no surcharge yet. */
export function decisionDetail(overrides: Partial<DecisionDetail> = {}): DecisionDetail {
  return {
    decisionId: 'dec-1',
    decisionNo: '4501000000000123',
    status: 'unpaid',
    decisionDate: '2025-09-02',
    dueDate: '2025-09-17',
    fine: 25_000,
    points: 7,
    surcharge: 0,
    amount: 25_000,
    personName: '李*',
    idNumber: '450***********1234',
    violations: [
      {
        id: 'v1',
        plate: '桂A12345',
        occurredAt: '2025-08-20T08:05:00+08:00',
        behaviour: '机动车违反禁令标志指示的',
        fine: 20_000,
        points: 3,
        place: '民族大道与古城路交叉口',
        code: '13440',
        legalBasis: '《中华人民共和国道路交通安全法》第九十条',
      },
      {
        id: 'v2',
        plate: '桂A12345',
        occurredAt: '2025-08-25T18:30:00+08:00',
        behaviour: '驾驶机动车不按导向车道行驶的',
        fine: 5_000,
        points: 4,
      },
    ],
    ...overrides,
  };
}

/** The receipt of a paid order of 257.50 yuan (250 fine + 7.50 surcharge). */
export function paymentReceipt(orderId: string, overrides: Partial<PaymentReceipt> = {}): PaymentReceipt {
  return {
    orderId,
    outTradeNo: 'GA450100000000012320250918',
    transactionId: '4200001234202509181234567890',
    amount: 25_750,
    fine: 25_000,
    surcharge: 750,
    paidAt: '2025-09-18T09:01:00+08:00',
    decisionId: 'dec-1',
    decisionNo: '4501000000000123',
    collectingUnit: '南宁市公安局交通警察支队',
    ...overrides,
  };
}

type HomeSummary = ActionResult<'user', 'home'>;

/** A verified driver's home with nothing to do: 3 points, two cars (own and another's). */
export function homeSummary(overrides: Partial<HomeSummary> = {}): HomeSummary {
  return {
    stage: 'verified',
    name: '张*',
    licence: { cyclePoints: 3 },
    carCount: 2,
    cars: [
      { plate: '桂A12345', relation: 'own' },
      { plate: '桂AD12345', relation: 'other' },
    ],
    todos: {
      unpaid: [],
      processable: { count: 0, amount: 0 },
      tows: [],
      inspections: [],
      renewal: null,
      ownerRequests: 0,
    },
    unavailable: [],
    ...overrides,
  };
}

/** The to-dos of a home with one of each kind. */
export function everyTodo(): HomeSummary['todos'] {
  return {
    unpaid: [
      {
        decisionId: 'dec-1',
        decisionNo: '4501000000000123',
        plates: ['桂A12345'],
        violationCount: 2,
        amount: 25_000,
        surcharge: 0,
        dueDate: '2025-09-16',
        daysLeft: 12,
      },
    ],
    processable: { count: 2, amount: 30_300 },
    tows: [{ plate: '桂AD12345', towedAt: '2025-09-01T21:40:00+08:00', yardName: '青秀区清障停车场' }],
    inspections: [{ plate: '桂A12345', inspectionDue: '2025-09-20', state: 'dueSoon', daysLeft: 16 }],
    renewal: { validUntil: '2025-11-30', state: 'dueSoon', daysLeft: 87 },
    ownerRequests: 1,
  };
}

type ViolationDetail = ActionResult<'violation', 'detail'>;

/** A processable violation with its code, legal basis and two evidence photos. */
export function violationDetail(id: string, overrides: Partial<ViolationDetail> = {}): ViolationDetail {
  return {
    ...violation(id),
    code: '1352',
    legalBasis: '《中华人民共和国道路交通安全法》第九十条',
    photos: [
      { url: `http://127.0.0.1:3000/storage/evidence/${id}-1.png?sign=x&t=1` },
      { url: `http://127.0.0.1:3000/storage/evidence/${id}-2.png?sign=x&t=1` },
    ],
    ...overrides,
  };
}
