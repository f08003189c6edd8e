/** The `violation` function: the list with eligibility, and processing a batch into one decision. */
import type { ViolationListResult, ProcessResult, ViolationDetail } from '../domain/violation/contract';
import { cachedCall, call } from './cloud';

export function listViolations(plate?: string): Promise<ViolationListResult> {
  return cachedCall('violation', 'list', plate === undefined ? {} : { plate });
}

/** Processes the batch and opens today's payment order for it in the same call (`order`, when it could be). */
export function processViolations(violationIds: readonly string[]): Promise<ProcessResult> {
  return call('violation', 'process', { violationIds, pay: true });
}

export function violationDetail(violationId: string): Promise<ViolationDetail> {
  return call('violation', 'detail', { violationId });
}
