/** The `insurance` function: the electronic policy of one of the user's own cars, from the chosen insurer. */
import type { InsurerCode } from '../domain/insurance/insurers';
import type { PolicyResult } from '../domain/insurance/contract';
import { call } from './cloud';

export function findPolicy(plate: string, insurer: InsurerCode): Promise<PolicyResult> {
  return call('insurance', 'policy', { plate, insurer });
}
