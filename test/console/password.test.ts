import { newPasswordHint } from '../../console/src/password';

describe('newPasswordHint (the enrolment form)', () => {
  const form = (next: string, again = next) => newPasswordHint({ login: 'lin-xiaoyu', next, again });

  it('asks for 12 characters: 11 is short, 12 passes, a 4-byte character counts once', () => {
    expect(form('')).toBe('新密码至少 12 个字符。');
    expect(form('a'.repeat(11))).toBe('新密码至少 12 个字符。');
    expect(form('a'.repeat(12))).toBeNull();
    expect(form('𠀀'.repeat(11))).toBe('新密码至少 12 个字符。');
  });

  it('refuses more than 128, the login inside it (any case), and two different entries', () => {
    expect(form('a'.repeat(128))).toBeNull();
    expect(form('a'.repeat(129))).toBe('新密码最多 128 个字符。');
    expect(form('my-LIN-XIAOYU-pass')).toBe('新密码不能包含账号。');
    expect(form('Yongzhou-road-2026', 'Yongzhou-road-2027')).toBe('两次输入的新密码不一致。');
  });
});
