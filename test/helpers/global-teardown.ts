/** After the jest run: the run's seeded demo data goes (see global-setup.ts). */
import { rmSync } from 'node:fs';

export default function globalTeardown(): void {
  const template = process.env['LOCAL_CLOUD_SEED_TEMPLATE'];
  if (template !== undefined) rmSync(template, { recursive: true, force: true });
}
