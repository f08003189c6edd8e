/**
 * Loads generated Nanning data through the admin cloud function's imports — the path the police system uses —
 * 1000 rows a call, and fails loudly on any row the import refuses (generated data must be clean).
 */
import { DEMO_SIZE, NANNING_SIZE, generate, type SeedSize } from '../seed/nanning';

export type CallFunction = (name: string, event: unknown, openid: string) => Promise<unknown>;

const IMPORT_ACTION = { drivers: 'importDrivers', vehicles: 'importVehicles', violations: 'importViolations' } as const;

export function seedSize(name: string): SeedSize {
  if (name === 'demo') return DEMO_SIZE;
  if (name === 'nanning') return NANNING_SIZE;
  // "fraction" sizes for benchmarks on smaller machines, e.g. nanning/10
  const match = /^nanning\/(\d+)$/.exec(name);
  if (match) {
    const divisor = Number(match[1]);
    return { drivers: Math.ceil(NANNING_SIZE.drivers / divisor), vehicles: Math.ceil(NANNING_SIZE.vehicles / divisor), violations: Math.ceil(NANNING_SIZE.violations / divisor) };
  }
  throw new Error(`unknown seed size ${name}: use demo, nanning or nanning/<divisor>`);
}

export interface SeedReport {
  drivers: number;
  vehicles: number;
  violations: number;
  seconds: number;
}

export async function seed(callFunction: CallFunction, adminToken: string, size: SeedSize, onProgress?: (report: SeedReport) => void): Promise<SeedReport> {
  const started = Date.now();
  const report: SeedReport = { drivers: 0, vehicles: 0, violations: 0, seconds: 0 };
  let lastProgress = Date.now();
  for (const batch of generate(size)) {
    const reply = (await callFunction('admin', { action: IMPORT_ACTION[batch.kind], adminToken, rows: batch.rows }, '')) as {
      ok?: boolean;
      code?: string;
      message?: string;
      data?: { inserted: number; updated: number; errors: unknown[] };
    };
    if (!reply?.ok || !reply.data) throw new Error(`${IMPORT_ACTION[batch.kind]} failed: ${reply?.code} ${reply?.message}`);
    if (reply.data.errors.length) throw new Error(`${IMPORT_ACTION[batch.kind]} refused rows: ${JSON.stringify(reply.data.errors.slice(0, 3))}`);
    report[batch.kind] += batch.rows.length;
    if (onProgress && Date.now() - lastProgress > 5000) {
      lastProgress = Date.now();
      onProgress({ ...report, seconds: (Date.now() - started) / 1000 });
    }
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}
