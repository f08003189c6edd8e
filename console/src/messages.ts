/** The sentence an officer is shown for a failed call: the server's own, made precise where the details allow. */
import { ApiError, type SessionEnd } from './api';

/** "45 秒", "2 分钟", "1 分 30 秒". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} 秒`;
  const minutes = Math.floor(s / 60);
  const rest = s % 60;
  return rest === 0 ? `${minutes} 分钟` : `${minutes} 分 ${rest} 秒`;
}

export function failureText(error: unknown): string {
  if (!(error instanceof ApiError)) return '系统出了点问题，请稍后重试。';
  const wait = error.details?.retryAfterSeconds;
  if (error.code === 'RATE_LIMITED' && wait !== undefined && Number.isFinite(wait) && wait > 0)
    return `尝试次数过多，请在 ${formatWait(wait)}后再试。`;
  return error.message;
}

/** Why the officer is back at the sign-in screen. */
export const SESSION_END_TEXT: Readonly<Record<SessionEnd, string>> = {
  signedOut: '您已退出登录。',
  idle: '长时间未操作，已自动退出登录，请重新登录。',
  expired: '登录已过期，请重新登录。',
  passwordChanged: '密码已修改，请用新密码重新登录。',
};
