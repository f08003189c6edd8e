import {
  idCheckChar,
  checkIdNumber,
  ID_NUMBER_FAILURE_MESSAGES,
  isValidIdNumber,
  maskIdNumber,
  maskName,
} from '../../miniprogram/domain/account/id-number';
import { DomainError } from '../../miniprogram/domain/core/errors';

const TODAY = '2025-06-15';
/** Completes 17 digits with their check character. */
function withCheck(first17: string): string {
  const check = idCheckChar(first17);
  if (check === null) throw new Error(`bad fixture ${first17}`);
  return first17 + check;
}

describe('checkIdNumber (GB 11643-1999)', () => {
  it('accepts the standard example with X and a Nanning number', () => {
    expect(checkIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      idNumber: '11010519491231002X',
      areaCode: '110105',
      birthDate: '1949-12-31',
      sequence: '002',
      sex: 'female',
    });
    const nanning = withCheck('45010219900307123');
    expect(checkIdNumber(nanning, TODAY)).toMatchObject({ ok: true, birthDate: '1990-03-07', sex: 'male' });
  });

  it('computes the check character with the 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 weights', () => {
    // sum = 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167, 167 mod 11 = 2 → X
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(idCheckChar('1101051949123100')).toBeNull();
    expect(idCheckChar('1101051949123100A')).toBeNull();
  });

  it('accepts lower-case x and normalises it to X, trimming spaces', () => {
    const result = checkIdNumber(' 11010519491231002x ', TODAY);
    expect(result).toMatchObject({ ok: true, idNumber: '11010519491231002X' });
  });

  it('refuses a wrong check character with CHECKSUM', () => {
    expect(checkIdNumber('110105194912310021', TODAY)).toEqual({
      ok: false,
      reason: 'CHECKSUM',
      message: ID_NUMBER_FAILURE_MESSAGES.CHECKSUM,
    });
    const good = withCheck('45010219900307123');
    const last = good.charAt(17);
    const wrong = good.slice(0, 17) + (last === '0' ? '1' : '0');
    expect(checkIdNumber(wrong, TODAY)).toMatchObject({ ok: false, reason: 'CHECKSUM' });
  });

  it('detects every single-digit change in the first 17 digits', () => {
    const good = withCheck('45010219900307123');
    for (let i = 0; i < 17; i += 1) {
      for (let d = 0; d <= 9; d += 1) {
        const changed = good.slice(0, i) + String(d) + good.slice(i + 1);
        if (changed === good) continue;
        expect(isValidIdNumber(changed, TODAY)).toBe(false);
      }
    }
  });

  it('refuses birth dates that are not real days (30 Feb, 29 Feb of a common year, month 13)', () => {
    expect(checkIdNumber(withCheck('45010219900230123'), TODAY)).toMatchObject({
      ok: false,
      reason: 'BIRTH_DATE_INVALID',
    });
    expect(checkIdNumber(withCheck('45010219930229123'), TODAY)).toMatchObject({
      ok: false,
      reason: 'BIRTH_DATE_INVALID',
    });
    expect(checkIdNumber(withCheck('45010219921329123'), TODAY)).toMatchObject({
      ok: false,
      reason: 'BIRTH_DATE_INVALID',
    });
    expect(checkIdNumber(withCheck('45010220000229123'), TODAY)).toMatchObject({ ok: true, birthDate: '2000-02-29' });
  });

  it('refuses a birth date after today; today itself is allowed', () => {
    expect(checkIdNumber(withCheck('45010220250616123'), TODAY)).toMatchObject({
      ok: false,
      reason: 'BIRTH_DATE_FUTURE',
    });
    expect(checkIdNumber(withCheck('45010220250615123'), TODAY)).toMatchObject({ ok: true });
  });

  it('refuses malformed input with FORMAT', () => {
    for (const bad of [
      '',
      '4501021990030712',
      '4501021990030712345',
      '45010219900307123Y',
      '4501021990030712X3',
      '45010219900307１２３',
      'x'.repeat(100),
    ]) {
      expect(checkIdNumber(bad, TODAY)).toMatchObject({ ok: false, reason: 'FORMAT' });
    }
  });

  it('needs a real today', () => {
    expect(() => checkIdNumber('11010519491231002X', '2025-02-30')).toThrow(DomainError);
  });
});

describe('masking', () => {
  it('keeps the first 3 and last 4 characters of an ID number', () => {
    expect(maskIdNumber('450102199003071234')).toBe('450***********1234');
    expect(maskIdNumber('11010519491231002x')).toBe('110***********002X');
    expect(maskIdNumber('1234567')).toBe('*******');
    expect(maskIdNumber('12345678')).toBe('123*5678');
    expect(maskIdNumber('')).toBe('');
  });

  it('keeps the first character of a name', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('欧阳修')).toBe('欧**');
    expect(maskName('李')).toBe('*');
    expect(maskName('  王五 ')).toBe('王*');
    expect(maskName('')).toBe('');
    expect(maskName('𠮷野家')).toBe('𠮷**');
  });
});
