/** Police-registry import rows for tests: what the story helpers of several suites build the same way. */

import type { ViolationRow } from '../../scripts/seed/nanning';

/**
 * A camera violation on `car`, 100 yuan and 1 point unless `fields` say otherwise; the n-th of a test's violations
 * lies n minutes after a date 30 days ago, so newest-first lists show them in reverse order of creation.
 */
export function cameraViolationRow(
  tag: string,
  n: number,
  car: { plate: string; plateType: '02' | '52' },
  fields: Partial<ViolationRow> = {},
): ViolationRow {
  return {
    violationId: `V${tag.toUpperCase()}${String(n).padStart(8, '0')}`,
    plate: car.plate,
    plateType: car.plateType,
    occurredAt: new Date(Date.now() - 30 * 86_400_000 + n * 60_000).toISOString(),
    place: '民族大道与桃源路交叉口',
    behaviour: '机动车违反禁止标线指示的',
    fine: 10_000,
    points: 1,
    source: 'camera',
    status: 'unprocessed',
    disputed: false,
    ...fields,
  };
}
