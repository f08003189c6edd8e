/**
 * `admin.exportDecisions`, the police system pulling the online decisions: pages in export-key order resumed from a
 * cursor, never ahead of a commit still under way, complete and without repeats once settled; a decision paid online or at a bank
 * comes once more with its payment; a malformed cursor is refused; every page that carried personal data is audited.
 */
import type { CreatePaymentResult } from '../../miniprogram/domain/payment/contract';
import type { ProcessResult, ViolationListResult } from '../../miniprogram/domain/violation/contract';
import type { DecisionExportRow, ExportDecisionsResult } from '../../cloudfunctions/_shared/police/contract';
import { shanghaiDateTime } from '../../miniprogram/domain/core/dates';
import { EXPORT_SETTLE_MS } from '../../cloudfunctions/_shared/sequence';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Car, type Person, type Reply } from '../helpers/story';
import { defined, match } from '../helpers/matchers';

jest.setTimeout(90_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'dex');

/** One page. The export carries full ID numbers and names by design: its answers stay out of the leak scan. */
async function page(after?: string, limit?: number): Promise<ExportDecisionsResult> {
  world.keepResponses = false;
  try {
    return await world.admin<ExportDecisionsResult>('exportDecisions', {
      ...(after === undefined ? {} : { after }),
      ...(limit === undefined ? {} : { limit }),
    });
  } finally {
    world.keepResponses = true;
  }
}

/** Moves the functions' clock past the export's settle time, so what was decided or paid until now may be handed out. */
async function settle(): Promise<void> {
  await world.setClock(world.clockOffsetMs + EXPORT_SETTLE_MS + 1_000);
}

/** Every settled page from `after` to the end, as the police system pulls; the rows and where to resume. */
async function pullAll(after?: string, limit = 3): Promise<{ rows: DecisionExportRow[]; cursor: string }> {
  await settle();
  const rows: DecisionExportRow[] = [];
  let cursor = after;
  for (;;) {
    const next = await page(cursor, limit);
    rows.push(...next.decisions);
    expect(next.decisions.length).toBeLessThanOrEqual(limit);
    cursor = next.nextCursor;
    if (!next.hasMore) return { rows, cursor };
  }
}

async function decide(person: Person, ids: string[]): Promise<ProcessResult> {
  const reply: Reply<ProcessResult> = await world.process(person, ids);
  if (!reply.ok) throw new Error(`process: ${JSON.stringify(reply)}`);
  return reply.data;
}

interface Driver {
  person: Person;
  car: Car;
  ids: string[];
}

async function driversWithViolations(count: number, perDriver: number): Promise<Driver[]> {
  const people = await world.drivers(count);
  const cars = await world.cars(people);
  const out: Driver[] = [];
  for (const car of cars) {
    await world.bindOwn(car);
    const ids = await world.violations(
      car,
      ...Array.from({ length: perDriver }, (_, i) => ({ points: i % 2 === 0 ? 1 : 0, fine: 5_000 + i, code: '1352' })),
    );
    out.push({ person: car.owner, car, ids });
  }
  return out;
}

const SHANGHAI_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/;

describe('paging', () => {
  it('no page runs ahead of decisions still committing; once settled, every decision once, in key order', async () => {
    const { cursor: start } = await pullAll();
    const drivers = await driversWithViolations(4, 3);
    const decided: Array<{ driver: Driver; decision: ProcessResult }> = [];
    const progress = { done: false };
    // Three decisions per driver, one violation each, all drivers at once, while the police system pages by 2.
    const processing = Promise.all(
      drivers.map(async (driver) => {
        for (const id of driver.ids) decided.push({ driver, decision: await decide(driver.person, [id]) });
      }),
    ).finally(() => {
      progress.done = true;
    });
    let pagesDuringCommits = 0;
    while (!progress.done) {
      // Decisions of the last EXPORT_SETTLE_MS are not handed out, so no page can pass one whose commit is under way.
      expect(await page(start, 2)).toEqual({ decisions: [], nextCursor: start, hasMore: false });
      pagesDuringCommits += 1;
    }
    await processing;
    expect(pagesDuringCommits).toBeGreaterThan(1);

    await settle();
    const pulled: DecisionExportRow[] = [];
    const cursors: string[] = [];
    let cursor = start;
    for (;;) {
      const next = await page(cursor, 2);
      pulled.push(...next.decisions);
      cursors.push(next.nextCursor);
      cursor = next.nextCursor;
      if (!next.hasMore) break;
    }
    // The cursor never went back, and the last pull found everything.
    expect(cursors).toEqual([...cursors].sort());
    expect((await page(cursor, 2)).decisions).toEqual([]);

    const numbers = pulled.map((row) => row.decisionNo);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect([...numbers].sort()).toEqual(decided.map((d) => d.decision.decisionNo).sort());
    for (const { driver, decision } of decided) {
      const row = defined(pulled.find((r) => r.decisionNo === decision.decisionNo));
      const violation = defined(driver.ids.find((id) => decision.violationIds?.includes(id)));
      expect(row).toEqual({
        decisionNo: decision.decisionNo,
        person: { idNumber: driver.person.idNumber, name: driver.person.name },
        violations: [
          {
            id: violation,
            plate: driver.car.plate,
            occurredAt: match.stringMatching(/\+08:00$/),
            code: '1352',
            behaviour: match.any(String),
            points: decision.points,
            fine: decision.fine,
          },
        ],
        points: decision.points,
        fine: decision.fine,
        surchargePaid: null,
        decidedAt: match.stringMatching(SHANGHAI_MS),
        paidAt: null,
        paidVia: null,
        status: 'unpaid',
      });
    }
    // Keys follow decision times, so a watermark at one decision's time covers exactly those exported before it.
    const times = pulled.map((r) => Date.parse(r.decidedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // Repeatable: the same cursor gives the same pages again.
    const again = await pullAll(start, 2);
    expect(again.rows.map((r) => r.decisionNo)).toEqual(numbers);
    expect(again.cursor).toBe(cursor);
  });
});

describe('payments', () => {
  it('a decision paid online comes once more, with paidAt and the surcharge it included', async () => {
    const [driver] = await driversWithViolations(1, 1);
    const { person, ids } = defined(driver);
    const { cursor: before } = await pullAll();
    const decision = await decide(person, ids);
    const first = await pullAll(before);
    expect(first.rows.map((r) => [r.decisionNo, r.status])).toEqual([[decision.decisionNo, 'unpaid']]);

    const order = await world.ok<CreatePaymentResult>(
      'payment',
      { action: 'create', decisionId: decision.decisionId },
      person.openid,
    );
    expect((await world.pay(order.outTradeNo)).status).toBe(200);
    const second = await pullAll(first.cursor);
    expect(second.rows).toEqual([
      match.objectContaining({
        decisionNo: decision.decisionNo,
        status: 'paid',
        paidVia: 'wechat',
        paidAt: match.stringMatching(/\+08:00$/),
        surchargePaid: 0,
      }),
    ]);
    expect(second.cursor > first.cursor).toBe(true);
    // Nothing more, and nothing new at the end: the cursor stays where it is.
    expect(await page(second.cursor)).toEqual({ decisions: [], nextCursor: second.cursor, hasMore: false });
    // From the first cursor again: the decision once, as it stands now (its earlier number was given up).
    expect((await pullAll(before)).rows.map((r) => [r.decisionNo, r.status])).toEqual([[decision.decisionNo, 'paid']]);
  });

  it('a decision the bank reports paid comes once more, dated when the bank took it; the driver sees that date', async () => {
    const [driver] = await driversWithViolations(1, 2);
    const { person, car, ids } = defined(driver);
    const decision = await decide(person, ids);
    const { cursor } = await pullAll();
    const seen = (await world.ok<ViolationListResult>('violation', { action: 'list' }, person.openid)).violations;
    const occurred = ids.map((id) => defined(seen.find((item) => item.id === id)));
    // The bank took the two fines a day and two days after the later violation.
    const latest = Math.max(...occurred.map((v) => Date.parse(v.occurredAt)));
    const bankDates = [1, 2].map((days) => shanghaiDateTime(latest + days * 86_400_000));
    await world.importViolations(
      occurred.map((v, i) => {
        const id = v.id;
        return world.violationRow(car, {
          violationId: id,
          occurredAt: v.occurredAt,
          fine: v.fine,
          points: v.points,
          behaviour: v.behaviour,
          place: v.place,
          code: '1352',
          status: 'paid',
          paidAt: defined(bankDates[i]),
        });
      }),
    );
    const { rows } = await pullAll(cursor);
    expect(rows).toEqual([
      match.objectContaining({
        decisionNo: decision.decisionNo,
        status: 'paid',
        paidVia: 'registry',
        paidAt: bankDates[1],
        surchargePaid: null,
      }),
    ]);
    const after = (await world.ok<ViolationListResult>('violation', { action: 'list' }, person.openid)).violations;
    for (const id of ids)
      expect(after.find((v) => v.id === id)?.state).toEqual({ kind: 'paidOffline', paidAt: bankDates[1] });
  });
});

describe('refusals and the audit trail', () => {
  it('a malformed cursor or limit is INVALID_ARGUMENT naming the field', async () => {
    for (const after of ['x', '-1', '01', '1e3', '9999999999999999'])
      await expect(page(after)).rejects.toThrow(/"code":"INVALID_ARGUMENT".*"field":"after"/);
    for (const limit of [0, 201])
      await expect(page(undefined, limit)).rejects.toThrow(/"code":"INVALID_ARGUMENT".*"field":"limit"/);
  });

  it('a cursor past the end answers an empty page that resumes there', async () => {
    const end = '999999999999999_zzz';
    expect(await page(end)).toEqual({ decisions: [], nextCursor: end, hasMore: false });
  });

  it('each page that carried decisions is audited with who pulled it and which decisions; an empty one is not', async () => {
    const [driver] = await driversWithViolations(1, 1);
    const { person, ids } = defined(driver);
    const { cursor } = await pullAll();
    const decision = await decide(person, ids);
    await settle();
    const since = new Date(Date.now() + world.clockOffsetMs).toISOString();
    const got = await page(cursor);
    expect(got.decisions.map((r) => r.decisionNo)).toEqual([decision.decisionNo]);
    await page(got.nextCursor);
    const entries = (await world.auditSince(since)).filter((a) => a.action === 'admin.exportDecisions');
    expect(entries).toEqual([
      match.objectContaining({
        target: 'decisions',
        before: { after: cursor },
        after: { by: match.any(String), nextCursor: got.nextCursor, decisionNos: [decision.decisionNo] },
      }),
    ]);
  });
});

finalChecks(() => world);
