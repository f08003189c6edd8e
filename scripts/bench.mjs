#!/usr/bin/env node
/**
 * npm run bench [-- --size nanning|nanning/<n>|demo] [--callers 16] [--seconds 10] [--data DIR] [--no-build]
 *   [--instances 4] [--profile DIR] [--record-baseline] [--cloud FILE]
 *
 * Starts the built local cloud on Nanning-size data (loaded once through the admin imports and reused from --data),
 * prepares bench drivers through the functions and the sandboxes, then measures through POST /functions with N
 * concurrent callers: violation.list, violation.process (batches of 5), payment.create. Prints a table and writes
 * it, with the raw figures, to artifacts/bench/. Run it twice and compare.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';
import path from 'node:path';
import os from 'node:os';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const SIZE = opt('size', 'nanning');
const CALLERS = Number(opt('callers', 16));
const SECONDS = Number(opt('seconds', 10));
const DATA = path.resolve(opt('data', path.join(root, '.local-cloud-bench', SIZE.replace('/', '-'))));
const PROFILE = opt('profile', '') && path.resolve(opt('profile', ''));
const INSTANCES = Number(opt('instances', 4));
/** --cloud: another build of the local cloud's cli.cjs (an older commit's, to record the baseline on this machine). */
const CLOUD_CLI = path.resolve(opt('cloud', path.join(root, 'build', 'local-cloud', 'cli.cjs')));
const BENCH_DRIVERS = Math.max(CALLERS * 4, 64);
const VIOLATIONS_PER_CAR = 300;
const RUN = Date.now().toString(36);
/**
 * Each run measures its own drivers and cars (a run slot names them): reusing the same ones let every run's fresh
 * violations pile up on the same cars, so the list measured a longer list each time.
 */
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXY';
const SLOT = Math.floor(Date.now() / 60_000) % (PLATE_LETTERS.length * PLATE_LETTERS.length);
/** The sweep is timed on a day of its own (the functions' clock moved ahead), when these licences are due for renewal. */
const SWEEP_DAYS_AHEAD = 1 + SLOT;
const SWEEP_RENEWAL_DUE = new Date(Date.now() + 8 * 3_600_000 + (SWEEP_DAYS_AHEAD + 30) * 86_400_000)
  .toISOString()
  .slice(0, 10);
const SLOT_LETTERS = `${PLATE_LETTERS[Math.floor(SLOT / PLATE_LETTERS.length)]}${PLATE_LETTERS[SLOT % PLATE_LETTERS.length]}`;

const log = (...parts) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...parts);

// ---------- the local cloud ----------
/** When the local cloud was spawned: a profile's measured windows are given relative to it. */
let cloudSpawnedAt = 0;
let cloudPid = 0;
function startCloud() {
  cloudSpawnedAt = performance.now();
  const child = spawn(
    process.execPath,
    [
      // --profile DIR: a CPU profile of the local cloud's main thread and of each function instance
      ...(PROFILE ? ['--cpu-prof', '--cpu-prof-dir', PROFILE] : []),
      CLOUD_CLI,
      'serve',
      // named, not defaulted, so a --cloud build from another checkout serves this checkout's functions
      '--functions',
      path.join(root, 'cloudfunctions'),
      '--indexes',
      path.join(root, 'cloudfunctions', '_shared', 'db', 'indexes.json'),
      '--port',
      '0',
      '--data',
      DATA,
      '--seed',
      SIZE,
      '--instances',
      String(INSTANCES),
      '--no-timers',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ADMIN_TOKEN: 'bench-admin-token' },
    },
  );
  cloudPid = child.pid ?? 0;
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    let url = '';
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const event = JSON.parse(line);
      if (event.event === 'listening') url = event.url;
      if (event.event === 'seeding')
        log(
          `seeding: ${event.drivers} drivers, ${event.vehicles} vehicles, ${event.violations} violations, ${Math.round(event.seconds)} s`,
        );
      if (event.event === 'seeded') log(`seeded in ${event.seconds.toFixed(1)} s`);
      if (event.event === 'ready') resolve({ child, url, seedLines: lines });
    });
    child.once('exit', (code) => reject(new Error(`local cloud exited with ${code}`)));
  });
}

async function call(url, fn, event, openid) {
  const res = await fetch(`${url}/functions/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
    body: JSON.stringify(event),
  });
  return res.json();
}

async function must(url, fn, event, openid) {
  const reply = await call(url, fn, event, openid);
  if (!reply?.ok) throw new Error(`${fn}.${event.action} failed for ${openid}: ${JSON.stringify(reply).slice(0, 300)}`);
  return reply.data;
}

// ---------- calls per screen: what the pages ask the cloud, replayed on the local cloud ----------
/**
 * Each screen's calls as its page makes them, in rounds (the calls of one round go out together). The pages' own
 * counts are pinned by test/pages (home.test.ts, violations.test.ts, vehicles.test.ts, licence*.test.ts) and the
 * journey's by test/journey/journey.test.ts; this replays the same calls here to weigh their answers.
 */
const SCREENS = [
  {
    screen: 'home on app start',
    rounds: [[['user', { action: 'home' }]]],
    target: '1 call, 1 round, ≤ 1 KB',
    maxBytes: 1024,
  },
  { screen: 'violation list', rounds: [[['violation', { action: 'list' }]]], target: '1 call' },
  { screen: 'licence', rounds: [[['user', { action: 'licence' }]]], target: '1 call' },
  { screen: 'vehicle list', rounds: [[['vehicle', { action: 'screen' }]]], target: '1 call' },
];

async function callRound(url, round, openid) {
  return Promise.all(
    round.map(async ([fn, event]) => {
      const reply = await call(url, fn, event, openid);
      return {
        key: `${fn}.${event.action}`,
        fn,
        ok: reply?.ok === true,
        bytes: Buffer.byteLength(JSON.stringify(reply)),
        reply,
      };
    }),
  );
}

/** The screens' and the driver's journey's calls, rounds and answer bytes, each beside its target. */
async function screenCalls(url, person) {
  const rows = [];
  for (const { screen, rounds, target, maxBytes } of SCREENS) {
    const answers = [];
    for (const round of rounds) answers.push(...(await callRound(url, round, person.openid)));
    const bytes = answers.reduce((sum, a) => sum + a.bytes, 0);
    const met =
      answers.length === 1 &&
      rounds.length === 1 &&
      answers.every((a) => a.ok) &&
      (maxBytes === undefined || bytes <= maxBytes);
    rows.push({
      screen,
      calls: answers.length,
      rounds: rounds.length,
      functions: new Set(answers.map((a) => a.fn)).size,
      bytes,
      target,
      met,
    });
  }
  rows.push({
    screen: 'returning to home (unchanged, within a minute)',
    calls: 0,
    rounds: 0,
    functions: 0,
    bytes: 0,
    target: '0 calls (services/cache.ts; pinned by test/pages/home.test.ts)',
    met: true,
  });

  // home → violations → process → pay (WeChat, no call) → result → receipts, as the pages call it
  const journey = [];
  const step = async (round) => {
    const answers = await callRound(url, round, person.openid);
    journey.push(answers);
    return answers;
  };
  await step([['user', { action: 'home' }]]);
  const [list] = await step([['violation', { action: 'list' }]]);
  const ids = (list.reply?.data?.violations ?? [])
    .filter((v) => v.processable)
    .slice(0, 2)
    .map((v) => v.id);
  const [processed] = await step([['violation', { action: 'process', violationIds: ids, pay: true }]]);
  const order = processed.reply?.data?.order;
  if (order) {
    await fetch(`${url}/sandbox/pay/${encodeURIComponent(order.outTradeNo)}`, {
      method: 'POST',
      body: JSON.stringify({ result: 'SUCCESS' }),
    });
    await step([['violation', { action: 'payStatus', orderId: order.orderId }]]);
  }
  await step([['violation', { action: 'payments' }]]);
  const flat = journey.flat();
  const functions = new Set(flat.map((a) => a.fn)).size;
  rows.push({
    screen: `journey home → receipts (${flat.map((a) => a.key).join(', ')})`,
    calls: flat.length,
    rounds: journey.length,
    functions,
    bytes: flat.reduce((sum, a) => sum + a.bytes, 0),
    target: '≤ 5 calls, ≤ 5 rounds, ≤ 2 functions',
    met: flat.length <= 5 && journey.length <= 5 && functions <= 2 && flat.every((a) => a.ok),
  });
  return rows;
}

function screenTable(rows) {
  return [
    '| screen | calls | rounds | functions | answer bytes | target | met |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.screen} | ${r.calls} | ${r.rounds} | ${r.functions} | ${r.bytes} | ${r.target} | ${r.met ? 'yes' : 'NO'} |`,
    ),
  ];
}

// ---------- bench fixtures: drivers with one car each and many 0-point camera violations ----------
function idNumber(i) {
  // birth year and month from i, sequence from i's thousands: unique for the run slots' drivers
  const first17 =
    `450181${1970 + (i % 30)}${String(1 + (Math.floor(i / 30) % 12)).padStart(2, '0')}01${String(Math.floor(i / 360) % 1000).padStart(3, '0')}`.slice(
      0,
      17,
    );
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, k) => acc + Number(d) * weights[k], 0);
  return first17 + '10X98765432'[sum % 11];
}

/** The bench drivers' violations, imported in batches of 1000 through admin.importViolations. */
const violationImport = { rows: 0, perSecond: NaN };

async function prepareBenchDrivers(url) {
  const people = Array.from({ length: BENCH_DRIVERS }, (_, i) => ({
    openid: `bench-${SLOT}-${i}`,
    idNumber: idNumber(SLOT * 1000 + i),
    name: `测试${String.fromCharCode(0x4e00 + i)}`,
    plate: `桂A${SLOT_LETTERS}${String(i).padStart(3, '0')}`,
  }));
  // the integration key the seed made for its imports (scripts/local-cloud/seed-runner.ts)
  const { integrationKey: credential } = JSON.parse(readFileSync(path.join(DATA, 'demo-officers.json'), 'utf8'));
  await must(url, 'admin', {
    action: 'importDrivers',
    credential,
    rows: people.map((p) => ({
      idNumber: p.idNumber,
      name: p.name,
      licenceClass: 'C1',
      firstIssueDate: '2015-03-01',
      validUntil: SWEEP_RENEWAL_DUE,
      status: 'valid',
      cyclePoints: 0,
    })),
  });
  await must(url, 'admin', {
    action: 'importVehicles',
    credential,
    rows: people.map((p) => ({ plate: p.plate, plateType: '02', ownerIdNumber: p.idNumber, ownerName: p.name })),
  });
  let rows = [];
  const importStarted = performance.now();
  for (const [i, p] of people.entries()) {
    for (let k = 0; k < VIOLATIONS_PER_CAR; k += 1) {
      rows.push({
        // New ones every run: processing uses them up, and a rerun on the same data must have work to do.
        violationId: `BENCH${RUN}${String(i).padStart(4, '0')}${String(k).padStart(4, '0')}`,
        plate: p.plate,
        plateType: '02',
        occurredAt: new Date(Date.UTC(2026, 0, 1) + k * 3_600_000).toISOString(),
        place: '民族大道与桃源路交叉口',
        behaviour: '机动车在禁止停放路段停放且驾驶人不在现场的',
        fine: 15000,
        points: 0,
        source: 'camera',
        status: 'unprocessed',
        disputed: false,
      });
      if (rows.length === 1000) {
        await must(url, 'admin', { action: 'importViolations', credential, rows });
        rows = [];
      }
    }
  }
  if (rows.length) await must(url, 'admin', { action: 'importViolations', credential, rows });
  violationImport.rows = people.length * VIOLATIONS_PER_CAR;
  violationImport.perSecond = violationImport.rows / ((performance.now() - importStarted) / 1000);
  log(`importViolations: ${violationImport.rows} rows at ${violationImport.perSecond.toFixed(0)} rows/s`);
  for (const p of people) {
    await must(url, 'user', { action: 'register' }, p.openid);
    const profile = await must(url, 'user', { action: 'profile' }, p.openid);
    if (!profile.verified) {
      const { verifyId } = await must(
        url,
        'user',
        { action: 'startFaceVerify', name: p.name, idNumber: p.idNumber, purpose: 'real-person' },
        p.openid,
      );
      await fetch(`${url}/sandbox/face/${encodeURIComponent(verifyId)}`, { method: 'POST', body: '{"pass":true}' });
      await must(url, 'user', { action: 'confirmFaceVerify', verifyId }, p.openid);
    }
    const { vehicles } = await must(url, 'vehicle', { action: 'list' }, p.openid);
    if (!vehicles.some((v) => v.plate === p.plate))
      await must(url, 'vehicle', { action: 'bindOwn', plate: p.plate, plateType: '02' }, p.openid);
  }
  return people;
}

// ---------- measuring ----------
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `task(callerIndex)` in CALLERS loops for SECONDS; every reply must be ok. */
/** CPU seconds the local cloud's process (all its threads) has used so far, from /proc; NaN where there is none. */
function cloudCpuSeconds() {
  try {
    const fields = readFileSync(`/proc/${cloudPid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, fields 14 and 15 of stat, in clock ticks (100 a second on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function measure(name, task, { maxPerCaller = Infinity } = {}) {
  const cpu = cpuScore();
  const cpuBefore = cloudCpuSeconds();
  const latencies = [];
  let failures = 0;
  const until = Date.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      for (let n = 0; n < maxPerCaller && Date.now() < until; n += 1) {
        const t0 = performance.now();
        const ok = await task(caller, n);
        // 'done': this caller has nothing left to do (e.g. no unprocessed violations), not a failed call.
        if (ok === 'done') break;
        latencies.push(performance.now() - t0);
        if (!ok) failures += 1;
      }
    }),
  );
  const ended = performance.now();
  const elapsed = (ended - started) / 1000;
  latencies.sort((a, b) => a - b);
  const row = {
    action: name,
    calls: latencies.length,
    failures,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: latencies.length / elapsed,
    cpuScore: cpu,
    /** the local cloud's CPU time per call, all threads: what the machine's load changes least */
    cpuMsPerCall: ((cloudCpuSeconds() - cpuBefore) * 1000) / latencies.length,
    ...(PROFILE ? { profileWindowMs: [started - cloudSpawnedAt, ended - cloudSpawnedAt].map(Math.round) } : {}),
  };
  log(
    `${name}: ${row.calls} calls, p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms, ${row.perSecond.toFixed(0)}/s, ${failures} failures, local cloud CPU ${row.cpuMsPerCall.toFixed(1)} ms a call`,
  );
  return row;
}

// ---------- the local cloud against its recorded baseline ----------
const BASELINE_FILE = path.join(root, 'bench', 'local-cloud-baseline.json');

/**
 * A fixed piece of JavaScript run for a second, in runs per second: the machine's speed at the moment of measuring.
 * Other work on the machine slows the local cloud and this alike, so throughputs are also compared per unit of it.
 */
function cpuScore() {
  const sample = Array.from({ length: 200 }, (_, i) => ({ id: `v${i}`, fine: i * 100, at: new Date(i).toISOString() }));
  const started = performance.now();
  let runs = 0;
  while (performance.now() < started + 1000) {
    JSON.parse(JSON.stringify(sample));
    runs += 1;
  }
  return Math.round(runs / ((performance.now() - started) / 1000));
}

/** Throughput and tail of each measured action beside the baseline recorded before the local cloud was tuned. */
function localCloudTargets(result) {
  if (!existsSync(BASELINE_FILE)) return [`local cloud targets: no baseline at ${path.relative(root, BASELINE_FILE)}`];
  const baseline = JSON.parse(readFileSync(BASELINE_FILE, 'utf8'));
  const lines = [
    `local cloud vs its baseline (${baseline.recordedAt}, local cloud of ${baseline.cloudCommit ?? '?'}, ${baseline.size} data, ${baseline.callers} callers); cpu score: a fixed JSON loop's runs per second just before each action, for the load other work put on the machine`,
    '| action | per second then → now | × | cpu score then → now | × per cpu score | target | p99 / p50 now | target | CPU ms a call then → now |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of result.rows) {
    const then = baseline.rows.find((r) => r.action === row.action);
    if (!then) continue;
    const raw = row.perSecond / then.perSecond;
    const scaled = raw * (then.cpuScore / row.cpuScore);
    const tail = row.p99 / row.p50;
    lines.push(
      `| ${row.action} | ${then.perSecond.toFixed(0)} → ${row.perSecond.toFixed(0)} | ${raw.toFixed(2)} | ${then.cpuScore} → ${row.cpuScore} | ${scaled.toFixed(2)} | ≥ 2 ${raw >= 2 ? 'met' : 'not met'} | ${tail.toFixed(1)} | ≤ 3 ${tail <= 3 ? 'met' : 'not met'} | ${then.cpuMsPerCall?.toFixed(1) ?? '?'} → ${row.cpuMsPerCall.toFixed(1)} |`,
    );
  }
  const imp = baseline.violationImport;
  lines.push(
    `importViolations: ${result.violationImport.perSecond.toFixed(0)} rows/s (baseline ${imp ? imp.perSecond.toFixed(0) : '?'}; target ≥ 10000)`,
  );
  return lines;
}

async function main() {
  if (!args.includes('--no-build')) {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], {
      stdio: 'inherit',
      cwd: root,
    });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  log(`size ${SIZE}, data ${DATA}, ${CALLERS} concurrent callers, ${SECONDS} s per action`);
  const loadStarted = Date.now();
  const { child, url } = await startCloud();
  log(`local cloud ready at ${url} after ${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);
  try {
    const health = await (await fetch(`${url}/health`)).json();
    const people = await prepareBenchDrivers(url);
    const pending = new Map(people.map((p) => [p.openid, []]));
    const decisions = [];

    // Steady state: each measured function's instances are started (a cold start is a module load of seconds on a
    // busy machine) by CALLERS concurrent calls of an action no function has, before anything is timed.
    for (const fn of ['violation', 'payment'])
      await Promise.all(
        Array.from({ length: CALLERS }, () => call(url, fn, { action: 'benchWarmUp' }, people[0].openid)),
      );
    const list = await measure('violation.list', async (caller, n) => {
      const p = people[(caller + n * CALLERS) % people.length];
      return (await call(url, 'violation', { action: 'list' }, p.openid)).ok;
    });

    // before any decision is made: one bench driver walks the screens and the journey as a new driver would
    const screens = await screenCalls(url, people[people.length - 1]);

    // Each caller processes its own drivers' violations, five at a time, oldest unprocessed first.
    for (const p of people) {
      const { violations } = await must(url, 'violation', { action: 'list' }, p.openid);
      pending.set(
        p.openid,
        violations.filter((v) => v.processable).map((v) => v.id),
      );
    }
    const processRow = await measure('violation.process (5)', async (caller, n) => {
      const p = people[caller + CALLERS * (n % Math.floor(people.length / CALLERS))];
      const ids = pending.get(p.openid).splice(0, 5);
      if (ids.length < 5) return 'done';
      const reply = await call(url, 'violation', { action: 'process', violationIds: ids }, p.openid);
      if (reply.ok) decisions.push({ openid: p.openid, decisionId: reply.data.decisionId });
      return reply.ok;
    });

    const perCaller = Array.from({ length: CALLERS }, (_, c) => decisions.filter((_, k) => k % CALLERS === c));
    const create = await measure(
      'payment.create',
      async (caller, n) => {
        const d = perCaller[caller][n];
        if (!d) return 'done';
        return (await call(url, 'payment', { action: 'create', decisionId: d.decisionId }, d.openid)).ok;
      },
      { maxPerCaller: Math.min(...perCaller.map((list) => list.length)) },
    );

    // The reminders timer: every bench driver subscribes to the licence-renewal reminder; on the run's own day (so a
    // rerun is not "already swept today") each has one renewal due; one run of the sweep, timed.
    for (const p of people) {
      await fetch(`${url}/sandbox/subscribe`, {
        method: 'POST',
        body: JSON.stringify({ openid: p.openid, templateIds: ['GUIA-TMPL-LICENCE-RENEWAL'] }),
      });
      await must(url, 'reminder', { action: 'subscribe', kinds: ['licenceRenewal'] }, p.openid);
    }
    await fetch(`${url}/sandbox/clock`, {
      method: 'POST',
      body: JSON.stringify({ offsetMs: SWEEP_DAYS_AHEAD * 86_400_000 }),
    });
    const sweepStarted = performance.now();
    const sweepReply = await (await fetch(`${url}/timers/reminder/daily`, { method: 'POST', body: '{}' })).json();
    const sweepMs = performance.now() - sweepStarted;
    const sweep = { ms: Math.round(sweepMs), ...(sweepReply.data ?? { error: sweepReply }) };
    const sweepLine =
      sweep.users > 0
        ? `reminder sweep: ${sweep.users} subscribers in ${sweep.ms} ms (${((sweep.users * 1000) / sweepMs).toFixed(0)} per s), ${sweep.sent} sent`
        : `reminder sweep: today's sweep was already complete (a rerun the same day finds nothing to do): ${JSON.stringify(sweep)}`;
    log(sweepLine);

    const stats = await (await fetch(`${url}/stats`)).json();
    const trips = (key) =>
      stats.roundTrips[key] ?? { mean: NaN, max: NaN, maxTransactions: NaN, meanTransactions: NaN };
    const result = {
      at: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
      size: SIZE,
      collections: health.store.collections,
      callers: CALLERS,
      seconds: SECONDS,
      rows: [list, processRow, create],
      roundTrips: {
        'violation.list': trips('violation.list'),
        'violation.process': trips('violation.process'),
        'payment.create': trips('payment.create'),
        'vehicle.bindOwn': trips('vehicle.bindOwn'),
        'vehicle.approve': trips('vehicle.approve'),
      },
      reminderSweep: sweep,
      screens,
      violationImport,
      unindexedQueries: stats.store.unindexedQueries,
      unindexedShapes: stats.store.unindexedShapes,
    };
    const size = path.join(root, 'scripts', 'measure-package.mjs');
    if (existsSync(size)) {
      const measured = spawnSync(process.execPath, [size, '--json'], { cwd: root, encoding: 'utf8' });
      try {
        result.package = JSON.parse(measured.stdout);
      } catch {
        result.package = { error: (measured.stderr || measured.stdout).slice(0, 300) };
      }
    }
    const table = [
      `桂A交管 benchmark — ${result.at} — ${result.machine}`,
      `data: ${Object.entries(result.collections)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
      `${CALLERS} concurrent callers through POST /functions, ${SECONDS} s per action`,
      '',
      '| action | calls | failures | p50 ms | p99 ms | per second | DB requests/call (mean, max) | transactions/call (mean, max) |',
      '|---|---|---|---|---|---|---|---|',
      ...result.rows.map((r) => {
        const t = trips(r.action.split(' ')[0]);
        return `| ${r.action} | ${r.calls} | ${r.failures} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.perSecond.toFixed(0)} | ${t.mean.toFixed(1)}, ${t.max} | ${t.meanTransactions.toFixed(2)}, ${t.maxTransactions} |`;
      }),
      '',
      `bind own car: ${trips('vehicle.bindOwn').maxTransactions} transaction; approve: ${trips('vehicle.approve').maxTransactions} transaction (if run)`,
      sweepLine,
      `queries served by no declared index: ${result.unindexedQueries} ${JSON.stringify(result.unindexedShapes)}`,
      result.package
        ? `main package: ${JSON.stringify(result.package)}`
        : 'main package: (scripts/measure-package.mjs not present)',
      '',
      "calls per screen (the phone's side: counts, not timings)",
      ...screenTable(screens),
      '',
      ...localCloudTargets(result),
    ].join('\n');
    console.log(table);
    const out = path.join(root, 'artifacts', 'bench');
    mkdirSync(out, { recursive: true });
    const stamp = result.at.replace(/[:.]/g, '-');
    writeFileSync(path.join(out, `${stamp}.md`), `${table}\n`);
    writeFileSync(path.join(out, `${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`);
    if (args.includes('--record-baseline')) {
      const keep = ({ action, calls, p50, p99, perSecond, cpuScore: cpu, cpuMsPerCall }) => ({
        action,
        calls,
        p50,
        p99,
        perSecond,
        cpuScore: cpu,
        cpuMsPerCall,
      });
      const baseline = {
        recordedAt: result.at,
        machine: result.machine,
        cloud: path.relative(root, CLOUD_CLI),
        cloudCommit: commitOf(path.dirname(CLOUD_CLI)),
        size: SIZE,
        callers: CALLERS,
        seconds: SECONDS,
        rows: result.rows.map(keep),
        violationImport: result.violationImport,
      };
      mkdirSync(path.dirname(BASELINE_FILE), { recursive: true });
      writeFileSync(BASELINE_FILE, `${JSON.stringify(baseline, null, 2)}\n`);
      log(`baseline written to ${path.relative(root, BASELINE_FILE)}`);
    }
    log(`written to artifacts/bench/${stamp}.{md,json}`);
  } finally {
    child.kill('SIGTERM');
  }
}

/** The commit a local cloud build was made from: the git checkout its build folder sits in. */
function commitOf(dir) {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
