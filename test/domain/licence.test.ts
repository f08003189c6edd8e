import {
  mayDriveSmallCar,
  parseLicenceClasses,
  isLicenceValid,
  licenceValidity,
  daysUntilExpiry,
  isRenewalDue,
} from '../../miniprogram/domain/licence/licence';

describe('licence classes', () => {
  it('small car: A1 A2 A3 B1 B2 C1 C2', () => {
    for (const c of ['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2']) expect(mayDriveSmallCar(c)).toBe(true);
  });

  it('not a small car: C3 C4 C5 C6 D E F M N P', () => {
    for (const c of ['C3', 'C4', 'C5', 'C6', 'D', 'E', 'F', 'M', 'N', 'P']) expect(mayDriveSmallCar(c)).toBe(false);
  });

  it('reads classes written together and refuses unknown ones', () => {
    expect(parseLicenceClasses('C1E')).toEqual(['C1', 'E']);
    expect(parseLicenceClasses('a2d')).toEqual(['A2', 'D']);
    expect(parseLicenceClasses('C1 E')).toEqual(['C1', 'E']);
    expect(parseLicenceClasses('DE')).toEqual(['D', 'E']);
    expect(parseLicenceClasses('C7')).toBeNull();
    expect(parseLicenceClasses('')).toBeNull();
    expect(parseLicenceClasses('X')).toBeNull();
    expect(mayDriveSmallCar('C1E')).toBe(true);
    expect(mayDriveSmallCar('DE')).toBe(false);
    expect(mayDriveSmallCar('C9')).toBe(false);
  });
});

describe('licence validity', () => {
  const licence = { status: 'valid' as const, validUntil: '2025-06-15' };

  it('is valid through validUntil inclusive and invalid the day after', () => {
    expect(isLicenceValid(licence, '2025-06-15')).toBe(true);
    expect(licenceValidity(licence, '2025-06-16')).toEqual({ valid: false, reason: 'EXPIRED' });
  });

  it('is invalid when expired, revoked or suspended whatever the date', () => {
    expect(licenceValidity({ ...licence, status: 'expired' }, '2020-01-01')).toEqual({
      valid: false,
      reason: 'EXPIRED',
    });
    expect(licenceValidity({ ...licence, status: 'revoked' }, '2020-01-01')).toEqual({
      valid: false,
      reason: 'REVOKED',
    });
    expect(licenceValidity({ ...licence, status: 'suspended' }, '2020-01-01')).toEqual({
      valid: false,
      reason: 'SUSPENDED',
    });
  });

  it('renewal reminder within 90 days of expiry', () => {
    expect(daysUntilExpiry('2025-06-15', '2025-06-15')).toBe(0);
    expect(isRenewalDue('2025-06-15', '2025-03-17')).toBe(true); // 90 days before
    expect(isRenewalDue('2025-06-15', '2025-03-16')).toBe(false); // 91 days before
    expect(isRenewalDue('2025-06-15', '2025-06-15')).toBe(true);
    expect(isRenewalDue('2025-06-15', '2025-06-16')).toBe(false);
  });
});
