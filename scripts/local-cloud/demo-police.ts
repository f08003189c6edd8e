/**
 * The local police side for `npm start` and benchmarks: the demo officers, made the way a deployer makes the first
 * administrator, and the integration key the seed imports with. Node only (the browser preview reads the seed too).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { CallFunction } from './seed-runner';
/** The demo officers' one password (local data only; a real deployment sets each officer's own). */
const DEMO_OFFICER_PASSWORD = 'guia-demo-police-2026';

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
  type Reply = { ok: true; data: unknown } | { ok: false; code: string };
  const call = async (event: Record<string, unknown>): Promise<Reply> =>
    (await callFunction('admin', event, '')) as Reply;
  const root = await call({
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
  const rootMade = root.data as Made;
  const must = async (event: Record<string, unknown>): Promise<unknown> => {
    const reply = await call(event);
    if (!reply.ok) throw new Error(`demo admin.${String(event['action'])} failed: ${reply.code}`);
    return reply.data;
  };
  const totp = TOTP.generate({ secret: Secret.fromBase32(rootMade.totpSecret), timestamp: nowMs() });
  const { sessionToken } = (await must({
    action: 'signIn',
    login: 'demo-admin',
    password: DEMO_OFFICER_PASSWORD,
    totp,
  })) as { sessionToken: string };
  const officers: DemoPolice['officers'] = [{ login: 'demo-admin', name: '演示管理员', roles: ['admin'], ...rootMade }];
  for (const officer of DEMO_OFFICERS) {
    const { temporaryPassword } = (await must({ action: 'createOfficer', credential: sessionToken, ...officer })) as {
      temporaryPassword: string;
    };
    // each demo officer enrols as a new officer would, so demos and tests sign in with password and code at once
    const enrolment = (await must({ action: 'signIn', login: officer.login, password: temporaryPassword })) as {
      sessionToken: string;
    };
    const made = (await must({ action: 'startEnrolment', credential: enrolment.sessionToken })) as Made;
    // the previous step (accepted for drift), so the current one is still free for the first sign-in
    const complete = () =>
      call({
        action: 'completeEnrolment',
        credential: enrolment.sessionToken,
        newPassword: DEMO_OFFICER_PASSWORD,
        totp: TOTP.generate({ secret: Secret.fromBase32(made.totpSecret), timestamp: nowMs() - 30_000 }),
      });
    let reply = await complete();
    // On a loaded machine the call can cross a step boundary, leaving that code two steps behind: one fresh try.
    if (!reply.ok && reply.code === 'INVALID_ARGUMENT') reply = await complete();
    if (!reply.ok) throw new Error(`demo admin.completeEnrolment failed: ${reply.code}`);
    const enrolled = reply.data as { sessionToken: string };
    await must({ action: 'signOut', credential: enrolled.sessionToken });
    officers.push({ ...officer, roles: [...officer.roles], totpSecret: made.totpSecret, otpauthUri: made.otpauthUri });
  }
  const { key } = (await must({
    action: 'createIntegrationKey',
    credential: sessionToken,
    name: 'seed-imports',
  })) as { key: string };
  await must({ action: 'signOut', credential: sessionToken });
  const police: DemoPolice = { password: DEMO_OFFICER_PASSWORD, officers, integrationKey: key };
  writeFileSync(file, `${JSON.stringify(police, null, 2)}\n`, { mode: 0o600 });
  return police;
}
