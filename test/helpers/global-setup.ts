/**
 * Once per jest run, before the workers start: a folder for the run's seeded demo data, which local clouds started
 * with `--seed-if-empty` copy instead of seeding again (test/helpers/local-cloud.ts). The workers inherit the env.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function globalSetup(): void {
  process.env['LOCAL_CLOUD_SEED_TEMPLATE'] = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-seed-'));
}
