/**
 * Loads generated Nanning data through the admin cloud function's imports — the path the police system uses —
 * 1000 rows a call, and fails loudly on any row the import refuses (generated data must be clean).
 */
import {
  DEMO_PEOPLE,
  DEMO_SIZE,
  NANNING_SIZE,
  demoEvidence,
  generate,
  type EvidenceFile,
  type SeedSize,
} from '../seed/nanning';
import { cityServiceBatches } from '../seed/city-services';

export type CallFunction = (name: string, event: unknown, openid: string) => Promise<unknown>;

/** Draws one demo evidence photo into cloud storage; resolves with its fileID. */
export type UploadEvidence = (file: EvidenceFile) => Promise<string>;

/** The demo evidence photos in cloud storage: fileIDs by violationId, for the rows that reference them. */
async function uploadEvidence(upload: UploadEvidence): Promise<Map<string, string[]>> {
  const fileIds = new Map<string, string[]>();
  for (const file of demoEvidence()) {
    const fileID = await upload(file);
    fileIds.set(file.violationId, [...(fileIds.get(file.violationId) ?? []), fileID]);
  }
  return fileIds;
}

const IMPORT_ACTION = {
  drivers: 'importDrivers',
  vehicles: 'importVehicles',
  violations: 'importViolations',
  offices: 'importOffices',
  guides: 'importGuides',
  tows: 'importTows',
} as const;

export function seedSize(name: string): SeedSize {
  if (name === 'demo') return DEMO_SIZE;
  if (name === 'nanning') return NANNING_SIZE;
  // "fraction" sizes for benchmarks on smaller machines, e.g. nanning/10
  const match = /^nanning\/(\d+)$/.exec(name);
  if (match) {
    const divisor = Number(match[1]);
    return {
      drivers: Math.ceil(NANNING_SIZE.drivers / divisor),
      vehicles: Math.ceil(NANNING_SIZE.vehicles / divisor),
      violations: Math.ceil(NANNING_SIZE.violations / divisor),
    };
  }
  throw new Error(`unknown seed size ${name}: use demo, nanning or nanning/<divisor>`);
}

export interface SeedReport {
  drivers: number;
  vehicles: number;
  violations: number;
  offices: number;
  guides: number;
  tows: number;
  seconds: number;
}

/**
 * Batches of one kind sent at once: while one batch's rows are written (the store's thread), the next is checked and
 * encoded (an admin instance), so both cores work. Kinds still go in order: drivers, then cars, then violations.
 */
const BATCHES_IN_FLIGHT = 2;

export async function seed(
  callFunction: CallFunction,
  credential: string,
  size: SeedSize,
  onProgress?: (report: SeedReport) => void,
  upload?: UploadEvidence,
): Promise<SeedReport> {
  const started = Date.now();
  const evidence = upload ? await uploadEvidence(upload) : new Map<string, string[]>();
  const report: SeedReport = { drivers: 0, vehicles: 0, violations: 0, offices: 0, guides: 0, tows: 0, seconds: 0 };
  let lastProgress = Date.now();
  const send = async (batch: { kind: keyof typeof IMPORT_ACTION; rows: unknown[] }): Promise<void> => {
    const reply = (await callFunction(
      'admin',
      { action: IMPORT_ACTION[batch.kind], credential, rows: batch.rows },
      '',
    )) as {
      ok?: boolean;
      code?: string;
      message?: string;
      data?: { inserted: number; updated: number; errors: unknown[] };
    } | null;
    if (!reply?.ok || !reply.data)
      throw new Error(`${IMPORT_ACTION[batch.kind]} failed: ${reply?.code} ${reply?.message}`);
    if (reply.data.errors.length)
      throw new Error(`${IMPORT_ACTION[batch.kind]} refused rows: ${JSON.stringify(reply.data.errors.slice(0, 3))}`);
    report[batch.kind] += batch.rows.length;
    if (onProgress && Date.now() - lastProgress > 5000) {
      lastProgress = Date.now();
      onProgress({ ...report, seconds: (Date.now() - started) / 1000 });
    }
  };
  const inFlight = new Set<Promise<void>>();
  let kind: string | undefined;
  for (const batch of generate(size, undefined, undefined, evidence)) {
    if (batch.kind !== kind || inFlight.size >= BATCHES_IN_FLIGHT) {
      // the first failure rejects here and stops the seed; a new kind waits for the last one to finish
      if (batch.kind !== kind) await Promise.all(inFlight);
      else await Promise.race(inFlight);
      kind = batch.kind;
    }
    const sending = send(batch).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  }
  await Promise.all(inFlight);
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

/** Only the city services' demo data (offices, guides, the demo tow): for a data folder seeded before they existed. */
export async function seedCityServices(callFunction: CallFunction, credential: string): Promise<void> {
  for (const batch of cityServiceBatches()) {
    const reply = (await callFunction(
      'admin',
      { action: IMPORT_ACTION[batch.kind], credential, rows: batch.rows },
      '',
    )) as {
      ok?: boolean;
      code?: string;
      data?: { errors: unknown[] };
    } | null;
    if (!reply?.ok || !reply.data || reply.data.errors.length)
      throw new Error(
        `${IMPORT_ACTION[batch.kind]} failed: ${reply?.code ?? JSON.stringify(reply?.data?.errors.slice(0, 3))}`,
      );
  }
}

/** The demo accounts `npm start` prepares so a person can try the app at once (openids as the README lists them). */
export const DEMO_ACCOUNTS = [
  {
    openid: 'demo-li-ming',
    person: DEMO_PEOPLE.liMing,
    ownPlates: [
      ['桂A12345', '02'],
      ['桂AD12345', '52'],
    ],
  },
  {
    openid: 'demo-wang-fang',
    person: DEMO_PEOPLE.wangFang,
    ownPlates: [
      ['桂AB2C34', '02'],
      ['桂AF35678', '52'],
    ],
  },
  { openid: 'demo-huang-wei', person: DEMO_PEOPLE.huangWei, ownPlates: [] },
  { openid: 'demo-wei-li', person: DEMO_PEOPLE.weiLi, ownPlates: [['桂AK6N88', '02']] },
] as const;

/**
 * Registers and verifies the demo people through the functions and the face sandbox — exactly the steps a driver
 * takes in the app — and binds their own cars. 黄伟 is left without cars: asking 王芳 for hers is the demo story.
 */
export async function prepareDemoAccounts(callFunction: CallFunction, baseUrl: string): Promise<void> {
  const must = async (fn: string, event: Record<string, unknown>, openid: string): Promise<Record<string, unknown>> => {
    const reply = (await callFunction(fn, event, openid)) as {
      ok?: boolean;
      data?: Record<string, unknown>;
      code?: string;
    } | null;
    if (!reply?.ok || !reply.data)
      throw new Error(`demo ${fn}.${String(event['action'])} for ${openid} failed: ${reply?.code}`);
    return reply.data;
  };
  for (const account of DEMO_ACCOUNTS) {
    await must('user', { action: 'register' }, account.openid);
    const { verifyId } = await must(
      'user',
      {
        action: 'startFaceVerify',
        name: account.person.name,
        idNumber: account.person.idNumber,
        purpose: 'real-person',
      },
      account.openid,
    );
    const face = await fetch(`${baseUrl}/sandbox/face/${encodeURIComponent(String(verifyId))}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"pass":true}',
    });
    if (!face.ok) throw new Error(`demo face sandbox answered ${face.status}`);
    await must('user', { action: 'confirmFaceVerify', verifyId }, account.openid);
    for (const [plate, plateType] of account.ownPlates)
      await must('vehicle', { action: 'bindOwn', plate, plateType }, account.openid);
  }
}
