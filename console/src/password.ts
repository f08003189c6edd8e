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
