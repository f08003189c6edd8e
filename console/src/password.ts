/**
 * What the change-password form says before sending. It only mirrors the server's policy (at least 12 characters, not
 * the login) to explain early; the server's answer is the one that counts.
 */
export const MIN_PASSWORD_LENGTH = 12;

export interface PasswordForm {
  readonly login: string;
  readonly current: string;
  readonly next: string;
  readonly again: string;
}

/** The first thing still wrong with the form, or null when it may be sent. */
export function passwordHint(form: PasswordForm): string | null {
  if (form.current === '') return '请输入当前密码。';
  if (form.next.length < MIN_PASSWORD_LENGTH) return `新密码至少 ${MIN_PASSWORD_LENGTH} 个字符。`;
  if (form.next.toLowerCase() === form.login.toLowerCase()) return '新密码不能与账号相同。';
  if (form.next === form.current) return '新密码不能与当前密码相同。';
  if (form.again !== form.next) return '两次输入的新密码不一致。';
  return null;
}

/** The policy in words, as the enrolment form states it up front. */
export const PASSWORD_POLICY_TEXT = `至少 ${MIN_PASSWORD_LENGTH} 个字符（最多 128 个），不能包含账号；建议用一句好记的话。`;

/** The first thing wrong with a new password chosen at enrolment (no current password: the temporary one was it). */
export function newPasswordHint(form: Omit<PasswordForm, 'current'>): string | null {
  if (Array.from(form.next).length < MIN_PASSWORD_LENGTH) return `新密码至少 ${MIN_PASSWORD_LENGTH} 个字符。`;
  if (Array.from(form.next).length > 128) return '新密码最多 128 个字符。';
  if (form.login !== '' && form.next.toLowerCase().includes(form.login.toLowerCase())) return '新密码不能包含账号。';
  if (form.again !== form.next) return '两次输入的新密码不一致。';
  return null;
}
