/**
 * Sizes of the reliability suite. `RELIABILITY_SCALE=full npx jest test/reliability` runs the full sizes; without
 * the variable the suite runs a smaller size that fits inside `npm test`.
 */
const FULL = process.env['RELIABILITY_SCALE'] === 'full';

export const SCALE = FULL
  ? {
      /** simultaneous requests + approvals against one car, and against one user */
      approvals: 200,
      /** simultaneous violation.process calls sharing violations */
      process: 100,
      /** simultaneous payment.create + callbacks on one decision */
      createAndPay: 100,
      /** payment callbacks in the storm */
      storm: 1000,
      /** generated events per cloud function */
      fuzz: 10_000,
      /** kill -9 rounds during a stream of processing and payments */
      crashRounds: 5,
      /** drivers streaming process + pay in each crash round */
      crashDrivers: 24,
    }
  : {
      approvals: 50,
      process: 30,
      createAndPay: 30,
      storm: 200,
      fuzz: 300,
      crashRounds: 1,
      crashDrivers: 8,
    };

/** Jest timeout for a test whose work grows with the scale. */
export function timeout(smallMs: number, fullMs: number): number {
  // npm test runs two workers, each with its own local cloud, on two cores: a small run may wait for CPU thrice as long
  return FULL ? fullMs : smallMs * 3;
}
