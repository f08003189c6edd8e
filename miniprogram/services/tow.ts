/** The `tow` function: where one of the user's bound cars was towed. */
import type { TowView } from '../domain/tow/contract';
import { call } from './cloud';
import { toServiceError } from './errors';

/** The car's current tow, or null when there is none (NOT_FOUND is the function's "no record", not a failure). */
export async function queryTow(plate: string): Promise<TowView | null> {
  try {
    const { tow } = await call('tow', 'query', { plate });
    return tow;
  } catch (error: unknown) {
    if (toServiceError(error).code === 'NOT_FOUND') return null;
    throw error;
  }
}
