/**
 * The people, cars and violations of the reliability suite, made through the local cloud's HTTP surface exactly as
 * the product's users make them: `admin` imports as the police system, `POST /functions/<name>` as a mini-program
 * user, the face and pay sandboxes as the person at the phone. Built for volume (hundreds of verified drivers in one
 * import and bounded-parallel verifications); test/functions/story.ts is the per-rule equivalent, deliberately not
 * imported so this suite does not move with that work in progress.
 *
 * Every function response is kept (as text) for the personal-data scan at the end of each file.
 */
import { makeIdNumber, type ViolationRow, type DriverRow } from '../../scripts/seed/nanning';
import type { ServerFunctionName } from '../../cloudfunctions/_shared/actions';
import { ERROR_CODES, type ErrorCode } from '../../miniprogram/domain/core/errors';
import type { RunningCloud } from '../helpers/local-cloud';
import { cameraViolationRow } from '../helpers/registry-rows';
import type { ImportResult } from '../../cloudfunctions/_shared/police/contract';
import type { VerifyIdResult } from '../../miniprogram/domain/account/contract';
import type { RequestBindingResult } from '../../miniprogram/domain/vehicle/contract';
import type { ProcessResult } from '../../miniprogram/domain/violation/contract';

export type Fn = ServerFunctionName | 'payCallback';
export type Event = Record<string, unknown>;
export interface Failure {
  ok: false;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
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

const PLATE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const SURNAMES = '黄李陈韦梁刘覃蒙莫农卢罗林周吴杨张王何谢蓝廖唐邓陆苏';
/** Given-name characters that appear in no place or behaviour text, so a full name found in a response is a leak. */
const GIVEN = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥';

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

// ---- personal data in responses ----

/**
 * Unmasked ID numbers anywhere in `text`: any 18 characters of the shape (17 digits and a digit or X) not inside a
 * longer run of letters and digits — valid check character or not, so a near-miss is reported too. (Order numbers
 * `GA…` and WeChat transaction ids are longer runs; decision numbers have 16 digits.)
 */
export function idNumbersIn(text: string): string[] {
  return [...text.matchAll(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g)].map((match) => match[0]);
}

export class Actors {
  private n = 0;
  /** Every function response as JSON text, with who asked (for the personal-data scan). */
  readonly responses: Array<{ openid: string; fn: string; text: string }> = [];
  /** Everyone made up in this file. */
  readonly people: Person[] = [];
  /** Keep responses for the leak scan (the fuzz suite turns it off: its answers are checked one by one). */
  keepResponses = true;

  constructor(
    readonly cloud: () => RunningCloud,
    private readonly tag: string,
  ) {}

  private next(): number {
    this.n += 1;
    return this.n;
  }

  // ---- raw calls ----

  async call<T>(fn: Fn, event: unknown, openid?: string): Promise<Reply<T>> {
    const reply = await this.cloud().call<Reply<T>>(fn, event, openid);
    const text = JSON.stringify(reply.body);
    if (this.keepResponses) this.responses.push({ openid: openid ?? '', fn, text });
    if (reply.status !== 200) {
      const action = typeof event === 'object' && event !== null ? String((event as Event)['action']) : '?';
      throw new Error(`${fn}.${action} answered HTTP ${reply.status}: ${text.slice(0, 500)}\n${this.logTail()}`);
    }
    return reply.body;
  }

  logTail(lines = 20): string {
    return `local cloud log:\n${this.cloud().log.slice(-lines).join('\n')}`;
  }

  async ok<T>(fn: Fn, event: Event, openid?: string): Promise<T> {
    const reply = await this.call<T>(fn, event, openid);
    if (!reply.ok)
      throw new Error(`${fn}.${String(event['action'])} as ${openid ?? '(none)'} failed: ${JSON.stringify(reply)}`);
    return reply.data;
  }

  async sandbox<T>(path: string, body: Event): Promise<{ status: number; body: T }> {
    return this.cloud().request<T>('POST', `/sandbox/${path}`, JSON.stringify(body), {
      'content-type': 'application/json',
    });
  }

  async collections(): Promise<Record<string, number>> {
    const { body } = await this.cloud().request<{ store: { collections: Record<string, number> } }>('GET', '/stats');
    return body.store.collections;
  }

  // ---- the police system ----

  admin<T>(action: string, params: Event = {}): Promise<T> {
    return this.ok<T>('admin', { action, adminToken: this.cloud().adminToken, ...params });
  }

  private async importAll<Row>(action: string, rows: Row[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 1000) {
      const result = await this.admin<ImportResult>(action, { rows: rows.slice(i, i + 1000) });
      if (result.errors.length) throw new Error(`${action}: ${JSON.stringify(result.errors.slice(0, 5))}`);
    }
  }

  importDrivers(rows: DriverRow[]): Promise<void> {
    return this.importAll('importDrivers', rows);
  }

  // ---- made-up people, cars and violations ----

  newPerson(): Person {
    const n = this.next();
    const k = this.people.length;
    const birth = new Date(Date.UTC(1960, 0, 1) + n * 86_400_000 * 3).toISOString().slice(0, 10);
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

  async face(verifyId: string, pass: boolean): Promise<void> {
    const { status, body } = await this.sandbox(`face/${encodeURIComponent(verifyId)}`, { pass });
    if (status !== 200) throw new Error(`face sandbox answered ${status}: ${JSON.stringify(body)}`);
  }

  /** Registers the openid and passes real-name + face verification; returns the (now spent) verifyId. */
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

  /** `count` verified drivers with a C1 licence: one import, verifications 8 at a time. */
  async drivers(count: number, licence: Partial<DriverRow> = {}): Promise<Person[]> {
    const people = Array.from({ length: count }, () => this.newPerson());
    await this.importDrivers(people.map((p) => this.licenceRow(p, licence)));
    await inParallel(people, 8, (p) => this.verify(p));
    return people;
  }

  async driver(options: { licence?: Partial<DriverRow> | null; verified?: boolean } = {}): Promise<Person> {
    const person = this.newPerson();
    if (options.licence !== null) await this.importDrivers([this.licenceRow(person, options.licence ?? {})]);
    if (options.verified === false) await this.ok('user', { action: 'register' }, person.openid);
    else await this.verify(person);
    return person;
  }

  newPlate(): string {
    const n = this.next();
    const c = (i: number) => PLATE_CHARS.charAt(Math.floor(n / PLATE_CHARS.length ** i) % PLATE_CHARS.length);
    // 桂A + a letter + 4 of [A-HJ-NP-Z0-9]: unique for the first 34^4 plates of a file.
    return `桂A${PLATE_CHARS.charAt(n % 24)}${c(0)}${c(1)}${c(2)}${c(3)}`;
  }

  /** Cars registered to their owners, in one import. */
  async cars(owners: Person[]): Promise<Car[]> {
    const cars: Car[] = owners.map((owner) => ({ plate: this.newPlate(), plateType: '02', owner }));
    await this.importAll(
      'importVehicles',
      cars.map((c) => ({
        plate: c.plate,
        plateType: c.plateType,
        ownerIdNumber: c.owner.idNumber,
        ownerName: c.owner.name,
      })),
    );
    return cars;
  }

  async car(owner: Person): Promise<Car> {
    const [car] = await this.cars([owner]);
    return car as Car;
  }

  violationRow(car: { plate: string; plateType: '02' | '52' }, fields: Partial<ViolationRow> = {}): ViolationRow {
    return cameraViolationRow(this.tag, this.next(), car, fields);
  }

  /** Camera violations on `car` (100 yuan, 1 point unless overridden); returns their ids. */
  async violations(car: Car, ...fields: Partial<ViolationRow>[]): Promise<string[]> {
    const rows = fields.map((f) => this.violationRow(car, f));
    await this.importAll('importViolations', rows);
    return rows.map((r) => r.violationId);
  }

  // ---- bindings, processing, payment ----

  bindOwn(car: Car): Promise<{ bindingId?: string }> {
    return this.ok<{ bindingId?: string }>(
      'vehicle',
      { action: 'bindOwn', plate: car.plate, plateType: car.plateType },
      car.owner.openid,
    );
  }

  async request(driver: Person, car: Car): Promise<string> {
    const { requestId } = await this.ok<RequestBindingResult>(
      'vehicle',
      { action: 'requestBinding', plate: car.plate, plateType: car.plateType, ownerName: car.owner.name },
      driver.openid,
    );
    return requestId;
  }

  /** The owner starts the authorisation of `requestId` and passes the face scan; returns the verifyId. */
  async authorize(owner: Person, requestId: string): Promise<string> {
    const { verifyId } = await this.ok<VerifyIdResult>(
      'vehicle',
      { action: 'startAuthorize', requestId },
      owner.openid,
    );
    await this.face(verifyId, true);
    return verifyId;
  }

  approve(owner: Person, requestId: string, verifyId: string): Promise<Reply<{ bindingId: string }>> {
    return this.call<{ bindingId: string }>('vehicle', { action: 'approve', requestId, verifyId }, owner.openid);
  }

  /** Request + the owner's face + approval; returns the bindingId. */
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

  /** WeChat Pay reports a payment of the order and calls payCallback as WeChat would (again = a replay). */
  pay(outTradeNo: string, body: Event = { result: 'SUCCESS' }): Promise<{ status: number; body: PayReport }> {
    return this.sandbox<PayReport>(`pay/${encodeURIComponent(outTradeNo)}`, body);
  }

  /** Moves the functions' clock to real time + `days`. */
  async setDays(days: number): Promise<void> {
    const { status } = await this.sandbox('clock', { days });
    if (status !== 200) throw new Error('clock sandbox refused');
  }

  // ---- checks ----

  /** Unmasked ID numbers (any valid one) and full names of this file's people found in any response so far. */
  leaks(): string[] {
    const found: string[] = [];
    for (const { openid, fn, text } of this.responses) {
      for (const id of idNumbersIn(text))
        found.push(`ID number ${id} in ${fn} answer to ${openid}: ${text.slice(0, 200)}`);
      for (const person of this.people)
        if (text.includes(person.name))
          found.push(`name ${person.name} in ${fn} answer to ${openid}: ${text.slice(0, 200)}`);
    }
    return found;
  }
}

export interface PayReport {
  sandbox?: boolean;
  delivered?: boolean;
  acknowledged?: boolean;
  tradeState?: string;
  reply?: unknown;
  errCode?: string;
}
