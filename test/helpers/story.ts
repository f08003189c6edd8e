/**
 * Steps of the product's stories for the cloud-function and reliability tests, all through the local cloud's HTTP
 * surface: `POST /functions/<name>` as a mini-program user, the face and pay sandboxes as the person at the phone,
 * `admin` imports as the police system. Every test makes its own people, cars and violations (distinct ids, plates
 * and openids), so the tests of a file share one local cloud without seeing each other. Built for volume too:
 * imports go in chunks of the registry's limit and many verifications run a few at a time.
 *
 * Every response is kept, so a file can assert at the end that no response carried an ID number or a full name.
 */
import { makeIdNumber, type ViolationRow, type VehicleRow, type DriverRow } from '../../scripts/seed/nanning';
import { ERROR_CODES, type ErrorCode, type ErrorDetails } from '../../miniprogram/domain/core/errors';
import { pointSdkAt, sdk, type RunningCloud } from './local-cloud';
import { policeOf } from './police';
import { cameraViolationRow } from './registry-rows';
import { MAX_IMPORT_ROWS, type ImportResult } from '../../cloudfunctions/_shared/police/contract';
import type { VerifyIdResult } from '../../miniprogram/domain/account/contract';
import type { ServerFunctionName } from '../../cloudfunctions/_shared/actions';
import type { VehicleItem, RequestBindingResult, ApproveResult } from '../../miniprogram/domain/vehicle/contract';
import type { ProcessResult } from '../../miniprogram/domain/violation/contract';

export type Fn = ServerFunctionName | 'payCallback';
export type Event = Record<string, unknown>;

export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}
export type Reply<T> = { ok: true; data: T } | Failure;

export interface Person {
  openid: string;
  idNumber: string;
  name: string;
}

export interface Car {
  plate: string;
  plateType: '02' | '52';
  owner: Person;
}

/** An own car's violations processed by its owner in one batch: the decision to pay. */
export interface Decided {
  person: Person;
  car: Car;
  ids: string[];
  decision: ProcessResult;
}

export interface RoundTrip {
  calls: number;
  min: number;
  max: number;
  mean: number;
  maxTransactions: number;
  lastByAction: Record<string, number>;
}

export interface Stats {
  store: { unindexedQueries: number; unindexedShapes: Record<string, number>; collections: Record<string, number> };
  roundTrips: Record<string, RoundTrip>;
}

const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const SURNAMES = '黄李陈韦梁刘覃蒙莫农卢罗林周吴杨张王何谢蓝廖唐邓陆苏';
/** Given-name characters that appear in no place or behaviour text, so a full name found in a response is a leak. */
const GIVEN = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Shanghai calendar date of an instant, `YYYY-MM-DD`. */
export function shanghaiDay(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

function dayNumber(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000);
}

export interface PayReport {
  sandbox?: boolean;
  delivered?: boolean;
  acknowledged?: boolean;
  tradeState?: string;
  reply?: unknown;
  errCode?: string;
}

/** A recorded answer: who asked which function, and the body as JSON text. */
export interface Response {
  openid: string;
  fn: string;
  text: string;
}

/** `fn(item)` for every item, at most `limit` at once; results in input order. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next;
      next += 1;
      if (index >= items.length) return;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `{ key: count }` of the outcomes of many calls: `ok` or the error code. */
export function tally(replies: readonly Reply<unknown>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const reply of replies) {
    const key = reply.ok ? 'ok' : reply.code;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

export function isTypedFailure(body: unknown): body is Failure {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return (
    b['ok'] === false &&
    (ERROR_CODES as readonly unknown[]).includes(b['code']) &&
    typeof b['message'] === 'string' &&
    b['message'].length > 0
  );
}

/**
 * Unmasked ID numbers anywhere in `text`: any 18 characters of the shape (17 digits and a digit or X) not inside a
 * longer run of letters and digits — valid check character or not, so a near-miss is reported too. (Order numbers
 * `GA…` and WeChat transaction ids are longer runs; decision numbers have 16 digits.)
 */
export function idNumbersIn(text: string): string[] {
  return [...text.matchAll(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g)].map((match) => match[0]);
}

/** The action of an event, for messages (any value may be sent as an event). */
function actionOf(event: unknown): string {
  return typeof event === 'object' && event !== null ? String((event as Event)['action']) : '?';
}

export interface AuditDoc {
  openid: string;
  /** Police calls: who acted (actorLabel, login and name of an officer). */
  actor?: { label: string; login?: string; name?: string };
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  at: string;
}

export class World {
  private n = 0;
  /** Every response (functions and sandboxes), for the personal-data check. */
  readonly responses: Response[] = [];
  /** Keep responses for the leak scan (the fuzz suite turns it off: its answers are checked one by one). */
  keepResponses = true;
  /** Everyone this file made up (the personal-data check looks for their full ID numbers and names). */
  readonly people: Person[] = [];
  /** The clock offset the local cloud runs with now (ms). */
  clockOffsetMs = 0;

  constructor(
    readonly cloud: () => RunningCloud,
    private readonly tag: string,
  ) {}

  private next(): number {
    this.n += 1;
    return this.n;
  }
  /** Any value as the event (the security suites send non-objects too); fails the test on an HTTP error. */
  async call<T>(fn: Fn, event: unknown, openid?: string): Promise<Reply<T>> {
    let reply: { status: number; body: Reply<T> };
    try {
      reply = await this.cloud().call<Reply<T>>(fn, event, openid);
    } catch (error) {
      throw new Error(`${fn}.${actionOf(event)}: ${(error as Error).message}\n${this.logTail()}`);
    }
    const text = JSON.stringify(reply.body);
    this.keep(openid ?? '', fn, text);
    if (reply.status !== 200)
      throw new Error(
        `${fn}.${actionOf(event)} answered HTTP ${reply.status}: ${text.slice(0, 500)}\n${this.logTail()}`,
      );
    return reply.body;
  }

  private keep(openid: string, fn: string, text: string): void {
    if (this.keepResponses) this.responses.push({ openid, fn, text });
  }

  /** The local cloud's last lines of output, for a failure message. */
  logTail(lines = 20): string {
    return `local cloud log:\n${this.cloud().log.slice(-lines).join('\n')}`;
  }

  /** The call's data; fails the test with the function's answer when it is not ok. */
  async ok<T>(fn: Fn, event: Event, openid?: string): Promise<T> {
    const reply = await this.call<T>(fn, event, openid);
    if (!reply.ok)
      throw new Error(`${fn}.${String(event['action'])} as ${openid ?? '(none)'} failed: ${JSON.stringify(reply)}`);
    return reply.data;
  }

  /** The call's failure; fails the test when the call succeeded. */
  async fails(fn: Fn, event: Event, openid?: string): Promise<Failure> {
    const reply = await this.call<unknown>(fn, event, openid);
    if (reply.ok)
      throw new Error(
        `${fn}.${String(event['action'])} as ${openid ?? '(none)'} should have failed but answered ${JSON.stringify(reply.data)}`,
      );
    return reply;
  }

  async sandbox(path: string, body: Event): Promise<{ status: number; body: unknown }> {
    const reply = await this.cloud().request('POST', `/sandbox/${path}`, JSON.stringify(body), {
      'content-type': 'application/json',
    });
    this.keep('', `sandbox/${path}`, JSON.stringify(reply.body));
    return reply;
  }

  async stats(): Promise<Stats> {
    return (await this.cloud().request<Stats>('GET', '/stats')).body;
  }
  /** An `admin` call with the credential its action needs (an import's integration key, an officer with its role). */
  async admin<T>(action: string, params: Event = {}): Promise<T> {
    const reply = await this.adminCall<T>(action, params);
    if (!reply.ok) throw new Error(`admin.${action} failed: ${JSON.stringify(reply)}`);
    return reply.data;
  }

  /** The credential `admin.<action>` needs here (for a test that builds its own event). */
  credentialFor(action: string): Promise<string> {
    return policeOf(this.cloud()).credentialFor(action);
  }

  /** The same call, its answer as it is; a session the moved clock ended is signed in again once. */
  async adminCall<T>(action: string, params: Event = {}): Promise<Reply<T>> {
    const police = policeOf(this.cloud());
    const credential = await police.credentialFor(action);
    const reply = await this.call<T>('admin', { action, credential, ...params });
    if (reply.ok || reply.code !== 'SESSION_EXPIRED') return reply;
    await police.forget(credential);
    return this.call<T>('admin', { action, credential: await police.credentialFor(action), ...params });
  }

  /** The admin call's failure; fails the test when it succeeded. */
  async adminFails(action: string, params: Event = {}): Promise<Failure> {
    const reply = await this.adminCall(action, params);
    if (reply.ok) throw new Error(`admin.${action} should have failed: ${JSON.stringify(reply.data)}`);
    return reply;
  }

  /** Every row, in chunks of the import limit; fails the test on any row error. */
  private async importAll(action: string, rows: readonly unknown[]): Promise<ImportResult> {
    const total = { inserted: 0, updated: 0 };
    for (let i = 0; i === 0 || i < rows.length; i += MAX_IMPORT_ROWS) {
      const result = await this.admin<ImportResult>(action, { rows: rows.slice(i, i + MAX_IMPORT_ROWS) });
      if (result.errors.length) throw new Error(`${action}: ${JSON.stringify(result.errors.slice(0, 5))}`);
      total.inserted += result.inserted;
      total.updated += result.updated;
    }
    return { ...total, errors: [] };
  }

  importDrivers(rows: DriverRow[]): Promise<ImportResult> {
    return this.importAll('importDrivers', rows);
  }

  importVehicles(rows: VehicleRow[]): Promise<ImportResult> {
    return this.importAll('importVehicles', rows);
  }

  importViolations(rows: ViolationRow[]): Promise<ImportResult> {
    return this.importAll('importViolations', rows);
  }
  /** A new identity (valid GB 11643 number, a name, an openid); nothing is stored yet. */
  newPerson(): Person {
    const n = this.next();
    const birth = new Date(Date.UTC(1960, 0, 1) + n * 86_400_000 * 3).toISOString().slice(0, 10);
    // Unique per person for the first 24 × 24 people of a file (the surname varies too).
    const k = this.people.length;
    const name = `${SURNAMES.charAt(k % SURNAMES.length)}${GIVEN.charAt(k % GIVEN.length)}${GIVEN.charAt(Math.floor(k / GIVEN.length) % GIVEN.length)}`;
    const person = { openid: `o-${this.tag}-${n}`, idNumber: makeIdNumber('450103', birth, n), name };
    this.people.push(person);
    return person;
  }

  licenceRow(person: Person, licence: Partial<DriverRow> = {}): DriverRow {
    return {
      idNumber: person.idNumber,
      name: person.name,
      licenceClass: 'C1',
      firstIssueDate: '2015-03-01',
      validUntil: '2035-03-01',
      status: 'valid',
      cyclePoints: 0,
      ...licence,
    };
  }

  /** Registers the openid and passes real-name + face verification for `person`; returns the (now spent) verifyId. */
  async verify(person: Person, openid = person.openid): Promise<string> {
    await this.ok('user', { action: 'register' }, openid);
    const { verifyId } = await this.ok<VerifyIdResult>(
      'user',
      { action: 'startFaceVerify', name: person.name, idNumber: person.idNumber, purpose: 'real-person' },
      openid,
    );
    await this.face(verifyId, true);
    await this.ok('user', { action: 'confirmFaceVerify', verifyId }, openid);
    return verifyId;
  }

  /**
   * A verified user with a licence in the registry (pass `licence: null` for none). `verified: false` stops after
   * registration.
   */
  async driver(options: { licence?: Partial<DriverRow> | null; verified?: boolean } = {}): Promise<Person> {
    const person = this.newPerson();
    if (options.licence !== null) await this.importDrivers([this.licenceRow(person, options.licence)]);
    if (options.verified === false) await this.ok('user', { action: 'register' }, person.openid);
    else await this.verify(person);
    return person;
  }

  /** Many verified drivers: one import, verifications 8 at a time (hundreds at once would only queue). */
  async drivers(count: number, licence: Partial<DriverRow> = {}): Promise<Person[]> {
    const people = Array.from({ length: count }, () => this.newPerson());
    await this.importDrivers(people.map((p) => this.licenceRow(p, licence)));
    await inParallel(people, 8, (p) => this.verify(p));
    return people;
  }

  /** A plate nobody else in this file has. */
  newPlate(green = false): string {
    const n = this.next();
    const letter = PLATE_LETTERS.charAt(n % PLATE_LETTERS.length);
    return green ? `桂AD${letter}${pad(n % 10_000, 4)}` : `桂A${letter}${pad(n % 10_000, 4)}`;
  }

  /** A car registered to `owner` in the vehicle registry. */
  async car(owner: Person, options: { green?: boolean } = {}): Promise<Car> {
    const car: Car = { plate: this.newPlate(options.green), plateType: options.green ? '52' : '02', owner };
    await this.importVehicles([vehicleRowOf(car)]);
    return car;
  }

  /** One blue-plate car for each owner, in one import. */
  async cars(owners: Person[]): Promise<Car[]> {
    const cars: Car[] = owners.map((owner) => ({ plate: this.newPlate(), plateType: '02', owner }));
    await this.importVehicles(cars.map(vehicleRowOf));
    return cars;
  }

  violationRow(car: { plate: string; plateType: '02' | '52' }, fields: Partial<ViolationRow> = {}): ViolationRow {
    return cameraViolationRow(this.tag, this.next(), car, fields);
  }

  /** Camera violations on `car` (each entry overrides the defaults: 100 yuan, 1 point); returns their ids. */
  async violations(car: Car, ...fields: Partial<ViolationRow>[]): Promise<string[]> {
    const rows = fields.map((f) => this.violationRow(car, f));
    await this.importViolations(rows);
    return rows.map((r) => r.violationId);
  }
  /** The person in front of the camera finishes wx.requestFacialVerify. */
  async face(verifyId: string, pass: boolean): Promise<void> {
    const { status, body } = await this.sandbox(`face/${encodeURIComponent(verifyId)}`, { pass });
    if (status !== 200) throw new Error(`face sandbox answered ${status}: ${JSON.stringify(body)}`);
  }

  /** WeChat Pay reports a payment of the order and calls payCallback as WeChat would (again = a replay). */
  async pay(outTradeNo: string, body: Event = { result: 'SUCCESS' }): Promise<{ status: number; body: PayReport }> {
    const reply = await this.sandbox(`pay/${encodeURIComponent(outTradeNo)}`, body);
    // the pay sandbox's own report, trusted as the local cloud's answer
    return { status: reply.status, body: reply.body as PayReport };
  }

  /** Moves the functions' clock to real time + offsetMs. */
  async setClock(offsetMs: number): Promise<void> {
    const { status } = await this.sandbox('clock', { offsetMs });
    if (status !== 200) throw new Error('clock sandbox refused');
    this.clockOffsetMs = offsetMs;
  }

  /** Moves the functions' clock to real time + `days`. */
  setDays(days: number): Promise<void> {
    return this.setClock(days * 86_400_000);
  }

  /** Moves the clock so that the functions' "today" (Asia/Shanghai) is `days` after `isoDate`. */
  async setDay(isoDate: string, days: number): Promise<void> {
    const realToday = dayNumber(shanghaiDay(Date.now()));
    await this.setClock((dayNumber(isoDate) + days - realToday) * 86_400_000);
  }
  async bindOwn(car: Car, openid = car.owner.openid): Promise<VehicleItem> {
    return this.ok<VehicleItem>('vehicle', { action: 'bindOwn', plate: car.plate, plateType: car.plateType }, openid);
  }

  async request(driver: Person, car: Car): Promise<string> {
    const { requestId } = await this.ok<RequestBindingResult>(
      'vehicle',
      { action: 'requestBinding', plate: car.plate, plateType: car.plateType, ownerName: car.owner.name },
      driver.openid,
    );
    return requestId;
  }

  /** The owner starts the authorisation for `requestId` and passes (or fails) the face scan; returns the verifyId. */
  async authorize(owner: Person, requestId: string, pass = true): Promise<string> {
    const { verifyId } = await this.ok<VerifyIdResult>(
      'vehicle',
      { action: 'startAuthorize', requestId },
      owner.openid,
    );
    await this.face(verifyId, pass);
    return verifyId;
  }

  approve(owner: Person, requestId: string, verifyId: string): Promise<Reply<ApproveResult>> {
    return this.call<ApproveResult>('vehicle', { action: 'approve', requestId, verifyId }, owner.openid);
  }

  /** Request + the owner's face + approval: `driver` may now drive `car`; returns the bindingId. */
  async bindOther(driver: Person, car: Car): Promise<string> {
    const requestId = await this.request(driver, car);
    const verifyId = await this.authorize(car.owner, requestId);
    const approved = await this.approve(car.owner, requestId, verifyId);
    if (!approved.ok) throw new Error(`approve failed: ${JSON.stringify(approved)}`);
    return approved.data.bindingId;
  }
  process(person: Person, violationIds: string[]): Promise<Reply<ProcessResult>> {
    return this.call<ProcessResult>('violation', { action: 'process', violationIds }, person.openid);
  }

  /** A driver (a new one unless given) binds a new own car with these violations and processes them in one batch. */
  async decided(violations: Partial<ViolationRow>[], person?: Person): Promise<Decided> {
    const driver = person ?? (await this.driver());
    const car = await this.car(driver);
    await this.bindOwn(car);
    const ids = await this.violations(car, ...violations);
    const reply = await this.process(driver, ids);
    if (!reply.ok) throw new Error(`process failed: ${JSON.stringify(reply)}`);
    return { person: driver, car, ids, decision: reply.data };
  }
  /** The audit trail since the ISO instant `from`, read through the real SDK (`at` is indexed). */
  async auditSince(from: string): Promise<AuditDoc[]> {
    const restore = pointSdkAt(this.cloud());
    try {
      const db = sdk().database();
      const { data } = await db
        .collection('audit')
        .where({ at: db.command.gte(from) })
        .orderBy('at', 'asc')
        .limit(1000)
        .get();
      return data as AuditDoc[];
    } finally {
      restore();
    }
  }

  /**
   * Personal data in any response so far: an unmasked ID number of any shape (see idNumbersIn), or the full ID
   * number or full name of someone this file made up, wherever it appears.
   */
  leaks(): string[] {
    const found: string[] = [];
    for (const { openid, fn, text } of this.responses) {
      const where = `in ${fn} answer to ${openid || '(none)'}: ${text.slice(0, 300)}`;
      const shaped = idNumbersIn(text);
      for (const id of shaped) found.push(`ID number ${id} ${where}`);
      for (const person of this.people) {
        if (text.includes(person.idNumber) && !shaped.includes(person.idNumber))
          found.push(`ID number ${person.idNumber} ${where}`);
        if (text.includes(person.name)) found.push(`name ${person.name} ${where}`);
      }
    }
    return found;
  }
}

function vehicleRowOf(car: Car): VehicleRow {
  return { plate: car.plate, plateType: car.plateType, ownerIdNumber: car.owner.idNumber, ownerName: car.owner.name };
}

/** The last tests of every file: nothing leaked, and every query the functions made was served by an index. */
export function finalChecks(world: () => World): void {
  describe('whole file', () => {
    it('no response carried a full ID number or a full name', () => {
      expect(world().leaks()).toEqual([]);
    });

    it('every query the functions made was served by a declared index (unindexedQueries = 0)', async () => {
      const { store } = await world().stats();
      expect(store.unindexedShapes).toEqual({});
      expect(store.unindexedQueries).toBe(0);
    });
  });
}
