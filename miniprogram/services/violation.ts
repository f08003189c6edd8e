/** The `violation` function: the list with eligibility, and processing a batch into one decision. */
import type { ViolationListResult, ProcessResult, ViolationDetail } from '../domain/violation/contract';
import { call } from './cloud';

export function listViolations(plate?: string): Promise<ViolationListResult> {
  return call('violation', 'list', plate === undefined ? {} : { plate });
}

export function processViolations(violationIds: readonly string[]): Promise<ProcessResult> {
  return call('violation', 'process', { violationIds });
}

export function violationDetail(violationId: string): Promise<ViolationDetail> {
  return call('violation', 'detail', { violationId });
}
