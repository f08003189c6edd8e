/** What a page shows when its first load fails: the service's sentence, and whether verifying is the way out. */
import { toServiceError } from '../services/errors';

export interface LoadFailure {
  readonly loadError: string;
  /** Not registered or not verified: the page offers "去实名认证" beside "重新加载". */
  readonly needsVerify: boolean;
}

export function loadFailure(error: unknown): LoadFailure {
  const failure = toServiceError(error);
  return {
    loadError: failure.message,
    needsVerify: failure.code === 'UNAUTHENTICATED' || failure.code === 'NOT_VERIFIED',
  };
}

/** For a page that offers no "去实名认证": the service's sentence alone. */
export function loadMessage(error: unknown): Pick<LoadFailure, 'loadError'> {
  return { loadError: toServiceError(error).message };
}
