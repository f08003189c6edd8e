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
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';

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
  for (const batch of generate(size, undefined, undefined, evidence)) {
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
  }
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

/** The demo officers' one password (local data only; a real deployment sets each officer's own). */
export const DEMO_OFFICER_PASSWORD = 'guia-demo-police-2026';

/** One demo officer per role, and a second finance officer for the two-person refund rule. */
const DEMO_OFFICERS = [
  { login: 'demo-import', name: '演示导入员', roles: ['dataImport'] },
  { login: 'demo-finance', name: '演示财务', roles: ['finance'] },
  { login: 'demo-finance2', name: '演示财务复核', roles: ['finance'] },
  { login: 'demo-faults', name: '演示报障处理', roles: ['faultHandling'] },
  { login: 'demo-audit', name: '演示审计', roles: ['audit'] },
] as const;

/** `<data>/demo-officers.json`: who can sign in to the local police side, and the seed's own integration key. */
export interface DemoPolice {
  password: string;
  officers: { login: string; name: string; roles: string[]; totpSecret: string; otpauthUri: string }[];
  integrationKey: string;
}

export function demoPoliceFile(dataDir: string): string {
  return path.join(dataDir, 'demo-officers.json');
}

/**
 * The demo officers and the seed's integration key: read from the data folder, or made — demo-admin with the
 * bootstrap secret (as a deployer makes the first administrator), who signs in and makes the others and the key —
 * and written there. Null when an administrator exists but the file does not (someone bootstrapped by hand).
 */
export async function demoPolice(
  callFunction: CallFunction,
  adminToken: string,
  dataDir: string,
  nowMs: () => number,
): Promise<DemoPolice | null> {
  const file = demoPoliceFile(dataDir);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoPolice;
  type Made = { totpSecret: string; otpauthUri: string };
  const call = async <T>(
    event: Record<string, unknown>,
  ): Promise<{ ok: true; data: T } | { ok: false; code: string }> =>
    (await callFunction('admin', event, '')) as { ok: true; data: T } | { ok: false; code: string };
  const root = await call<Made>({
    action: 'bootstrapOfficer',
    adminToken,
    login: 'demo-admin',
    name: '演示管理员',
    password: DEMO_OFFICER_PASSWORD,
  });
  if (!root.ok) {
    if (root.code === 'FORBIDDEN') return null;
    throw new Error(`demo bootstrapOfficer failed: ${root.code}`);
  }
  const must = async <T>(event: Record<string, unknown>): Promise<T> => {
    const reply = await call<T>(event);
    if (!reply.ok) throw new Error(`demo admin.${String(event['action'])} failed: ${reply.code}`);
    return reply.data;
  };
  const totp = TOTP.generate({ secret: Secret.fromBase32(root.data.totpSecret), timestamp: nowMs() });
  const { sessionToken } = await must<{ sessionToken: string }>({
    action: 'signIn',
    login: 'demo-admin',
    password: DEMO_OFFICER_PASSWORD,
    totp,
  });
  const officers: DemoPolice['officers'] = [
    { login: 'demo-admin', name: '演示管理员', roles: ['admin'], ...root.data },
  ];
  for (const officer of DEMO_OFFICERS) {
    const made = await must<Made>({
      action: 'createOfficer',
      credential: sessionToken,
      ...officer,
      password: DEMO_OFFICER_PASSWORD,
    });
    officers.push({ ...officer, roles: [...officer.roles], totpSecret: made.totpSecret, otpauthUri: made.otpauthUri });
  }
  const { key } = await must<{ key: string }>({
    action: 'createIntegrationKey',
    credential: sessionToken,
    name: 'seed-imports',
  });
  await must({ action: 'signOut', credential: sessionToken });
  const police: DemoPolice = { password: DEMO_OFFICER_PASSWORD, officers, integrationKey: key };
  writeFileSync(file, `${JSON.stringify(police, null, 2)}\n`, { mode: 0o600 });
  return police;
}
