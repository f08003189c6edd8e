/** The `insurance` function: the electronic policy of one of the user's own cars, from the chosen insurer. */
import { type PolicyResult } from '../domain/api';
import { type InsurerCode } from '../domain/city-services';
import { call } from './cloud';

export function findPolicy(plate: string, insurer: InsurerCode): Promise<PolicyResult> {
  return call('insurance', 'policy', { plate, insurer });
}
