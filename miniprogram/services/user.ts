/** The `user` function: registration, profile, real-person verification, the cycle's points history. */
import type { LicenceScreenResult, PointsHistoryResult } from '../domain/licence/contract';
import type {
  RegisterResult,
  ProfileResult,
  VerifyIdResult,
  ConfirmFaceVerifyResult,
} from '../domain/account/contract';
import type { HomeResult } from '../domain/home/contract';
import { cachedCall, call } from './cloud';

export function register(): Promise<RegisterResult> {
  return call('user', 'register', {});
}

export function getProfile(): Promise<ProfileResult> {
  return call('user', 'profile', {});
}

/** `name` and `idNumber` as the driver typed them (already checked locally); the server checks them again. */
export function startFaceVerify(name: string, idNumber: string): Promise<VerifyIdResult> {
  return call('user', 'startFaceVerify', { name, idNumber, purpose: 'real-person' });
}

export function confirmFaceVerify(verifyId: string): Promise<ConfirmFaceVerifyResult> {
  return call('user', 'confirmFaceVerify', { verifyId });
}

/** The current cycle's points, decision by decision (with points carried in by unpaid fines). */
export function getPointsHistory(): Promise<PointsHistoryResult> {
  return call('user', 'points', {});
}

/** The first screen in one call: stage, points, cars and what needs doing. */
export function getHome(): Promise<HomeResult> {
  return cachedCall('user', 'home', {});
}

/** The licence page in one call: the profile and, with a licence, the cycle's history. */
export function getLicenceScreen(): Promise<LicenceScreenResult> {
  return cachedCall('user', 'licence', {});
}
