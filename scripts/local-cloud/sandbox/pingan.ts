/**
 * SANDBOX — plays Ping An Property & Casualty's electronic-policy API for the local cloud. The `insurance` function
 * reaches it exactly as it reaches Ping An in production: an HTTPS POST to PINGAN_API_BASE + the query path (here
 * PINGAN_API_BASE = http://…/sandbox/pingan), signed with HMAC-SHA256. Every answer carries `sandbox: true`.
 *
 * It knows the seeded demo cars (scripts/seed/nanning.ts) and answers their policies — derived deterministically
 * from the plate, the current policy year by the local cloud's clock — when the insured's ID number is the demo
 * owner's; every other car or person has "no policy". 王芳's green 桂AF35678 is insured elsewhere on purpose.
 *
 *   GET  /sandbox/pingan                         what it plays, and the demo plates it knows
 *   POST /sandbox/pingan/open/policy/v1/query-by-plate   the API the adapter calls
 *   POST /sandbox/pingan/outage {"on": true|false}        Ping An down (answers code 5000) — to try the error path
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { addDays, compareIsoDates, shanghaiDate, type IsoDate } from '../../../miniprogram/domain/core/dates';
import { DEMO_PEOPLE } from '../../seed/nanning';

const PINGAN_QUERY_PATH = 'open/policy/v1/query-by-plate';

interface DemoCar {
  readonly plate: string;
  readonly ownerIdNumber: string;
  /** Which of Ping An's risks cover it: JQX 交强险, SYX 商业险. */
  readonly risks: readonly ('JQX' | 'SYX')[];
  readonly wmi: string;
  readonly model: string;
}

const DEMO_CARS: readonly DemoCar[] = [
  {
    plate: '桂A12345',
    ownerIdNumber: DEMO_PEOPLE.liMing.idNumber,
    risks: ['JQX', 'SYX'],
    wmi: 'LSV',
    model: '上汽大众 朗逸 1.5L 自动舒适版',
  },
  {
    plate: '桂AD12345',
    ownerIdNumber: DEMO_PEOPLE.liMing.idNumber,
    risks: ['JQX'],
    wmi: 'LGX',
    model: '比亚迪 秦PLUS EV 纯电动',
  },
  {
    plate: '桂AB2C34',
    ownerIdNumber: DEMO_PEOPLE.wangFang.idNumber,
    risks: ['JQX', 'SYX'],
    wmi: 'LVG',
    model: '广汽丰田 雷凌 1.5L 自动进取版',
  },
  // 桂AF35678 (王芳, green) is insured with another company: Ping An has no policy for it.
  {
    plate: '桂AK6N88',
    ownerIdNumber: DEMO_PEOPLE.weiLi.idNumber,
    risks: ['JQX', 'SYX'],
    wmi: 'LZW',
    model: '上汽通用五菱 宝骏 RS-5 1.5T',
  },
  {
    plate: '桂AR7Q21',
    ownerIdNumber: DEMO_PEOPLE.qinQiang.idNumber,
    risks: ['JQX'],
    wmi: 'LHG',
    model: '广汽本田 雅阁 2.0L 自动舒适版',
  },
];

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const VIN_VALUES: Readonly<Record<string, number>> = Object.fromEntries(
  Array.from('ABCDEFGHJKLMNPRSTUVWXYZ').map((c, i) => [
    c,
    [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9][i] ?? 0,
  ]),
);
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** A VIN with a correct check digit (position 9, ISO 3779 / GB 16735), the same for the same plate every time. */
function demoVin(wmi: string, plate: string): string {
  const bytes = digest(`vin:${plate}`);
  const chars = Array.from(wmi);
  for (let i = 3; i < 17; i += 1)
    chars.push(i >= 11 ? String((bytes[i] ?? 0) % 10) : (VIN_CHARS[(bytes[i] ?? 0) % VIN_CHARS.length] ?? 'A'));
  chars[8] = '0';
  const sum = chars.reduce(
    (acc, c, i) => acc + (/\d/.test(c) ? Number(c) : (VIN_VALUES[c] ?? 0)) * (VIN_WEIGHTS[i] ?? 0),
    0,
  );
  chars[8] = sum % 11 === 10 ? 'X' : String(sum % 11);
  return chars.join('');
}

/** The policy year covering `today`: it starts on the plate's own day of the year (deterministic), for 365 days. */
function policyYear(plate: string, today: IsoDate): { startDate: IsoDate; endDate: IsoDate } {
  const offset = (digest(`start:${plate}`).readUInt16BE(0) % 300) + 20;
  const year = Number(today.slice(0, 4));
  let start = addDays(`${year}-01-01`, offset);
  if (compareIsoDates(start, today) > 0) start = addDays(`${year - 1}-01-01`, offset);
  return { startDate: start, endDate: addDays(start, 364) };
}

function demoPolicies(plate: string, today: IsoDate): Record<string, string>[] {
  const car = DEMO_CARS.find((c) => c.plate === plate);
  if (!car) return [];
  const { startDate, endDate } = policyYear(plate, today);
  const serial = digest(`policy:${plate}`).readUInt32BE(0) % 100_000_000;
  return car.risks.map((risk) => ({
    policyNo: `PA${startDate.slice(0, 4)}4501${risk}${String(serial).padStart(8, '0')}`,
    riskType: risk,
    startDate,
    endDate,
    plateNo: car.plate,
    vin: demoVin(car.wmi, car.plate),
    brandModel: car.model,
  }));
}

/** The adapter's signature, computed independently: HMAC-SHA256 hex over `k=v&…` of the envelope's fields in key order. */
function signature(fields: Record<string, string>, secret: string): string {
  const text = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key] ?? ''}`)
    .join('&');
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && /^[0-9a-f]+$/.test(a) && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

type Json = Record<string, unknown>;

export interface PingAnSandboxReply {
  status: number;
  body: unknown;
}

export class PingAnSandbox {
  private down = false;

  constructor(private readonly deps: { now: () => Date }) {}

  handleHttp(method: string, path: readonly string[], body: unknown): PingAnSandboxReply {
    const input: Json = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Json) : {};
    const route = path.join('/');
    if (method === 'GET' && route === '') {
      return {
        status: 200,
        body: {
          sandbox: true,
          plays: 'Ping An electronic policy API (平安保险电子保单)',
          demoPlates: DEMO_CARS.map((c) => c.plate),
          outage: this.down,
        },
      };
    }
    if (method === 'POST' && route === 'outage') {
      if (typeof input['on'] !== 'boolean')
        return { status: 400, body: { sandbox: true, errMsg: 'send { "on": true | false }' } };
      this.down = input['on'];
      return { status: 200, body: { sandbox: true, outage: this.down } };
    }
    if (method === 'POST' && route === PINGAN_QUERY_PATH)
      return { status: 200, body: { sandbox: true, ...this.query(input) } };
    return { status: 404, body: { sandbox: true, errMsg: `no Ping An sandbox at ${method} /sandbox/pingan/${route}` } };
  }

  private query(input: Json): Json {
    if (this.down) return { code: '5000', message: '系统维护中 (sandbox outage)' };
    const fields: Record<string, string> = {};
    for (const key of ['appId', 'timestamp', 'nonce', 'bizContent']) {
      const value = input[key];
      if (typeof value !== 'string') return { code: '4001', message: `missing ${key}` };
      fields[key] = value;
    }
    const sign = typeof input['sign'] === 'string' ? input['sign'] : '';
    // PINGAN_APP_SECRET: what the functions sign with (unset locally: the empty secret, still a real HMAC check).
    if (!sameHex(sign, signature(fields, process.env['PINGAN_APP_SECRET'] ?? '')))
      return { code: '4003', message: 'signature mismatch' };
    let biz: Json;
    try {
      const parsed: unknown = JSON.parse(fields['bizContent'] ?? '');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      biz = parsed as Json;
    } catch {
      return { code: '4001', message: 'bizContent is not a JSON object' };
    }
    const plate = typeof biz['plateNo'] === 'string' ? biz['plateNo'] : '';
    const certNo = typeof biz['insuredCertNo'] === 'string' ? biz['insuredCertNo'] : '';
    if (!plate || !certNo) return { code: '4001', message: 'plateNo and insuredCertNo are required' };
    const car = DEMO_CARS.find((c) => c.plate === plate);
    // Ping An answers only the insured: the same plate asked for by anyone else has no policy.
    const policies =
      car && car.ownerIdNumber === certNo ? demoPolicies(plate, shanghaiDate(this.deps.now().getTime())) : [];
    return { code: '0000', message: 'success', data: { policies } };
  }
}
