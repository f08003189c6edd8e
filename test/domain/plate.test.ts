import { DomainError } from '../../miniprogram/domain/core/errors';
import {
  classifyPlate,
  checkPlate,
  PLATE_LETTERS,
  normalisePlate,
  requireSupportedPlate,
  plateMaxLength,
  allowedPlateChars,
  isPlatePrefix,
  nextPlateChars,
  isCompletePlate,
} from '../../miniprogram/domain/vehicle/plate';

function reason(plate: string, type?: string): string {
  const result = type === undefined ? classifyPlate(plate) : checkPlate(plate, type);
  return result.ok ? `OK ${result.plateType}` : result.reason;
}

describe('classifyPlate', () => {
  it('accepts 桂A small cars (02): 桂A + 5 of [A-HJ-NP-Z0-9]', () => {
    expect(classifyPlate('桂A12345')).toEqual({ ok: true, plate: '桂A12345', plateType: '02' });
    expect(reason('桂AB1234')).toBe('OK 02');
    expect(reason('桂AZZZZZ')).toBe('OK 02');
    expect(reason('桂A0000H')).toBe('OK 02');
  });

  it('accepts 桂A small new-energy cars (52): 桂A + [DFABCEGHJK] + [A-HJ-NP-Z0-9] + 4 digits', () => {
    expect(classifyPlate('桂AD12345')).toEqual({ ok: true, plate: '桂AD12345', plateType: '52' });
    expect(reason('桂AF12345')).toBe('OK 52');
    expect(reason('桂ADZ1234')).toBe('OK 52');
    for (const letter of 'ABCEGHJK') expect(reason(`桂A${letter}12345`)).toBe('OK 52');
    expect(reason('桂AL12345')).toBe('MALFORMED');
    expect(reason('桂AD1234A')).toBe('MALFORMED');
  });

  it('refuses the 8-character form ending in D/F as a large new-energy vehicle (51)', () => {
    expect(reason('桂A12345D')).toBe('LARGE_VEHICLE');
    expect(reason('桂A12345F')).toBe('LARGE_VEHICLE');
    expect(reason('桂AB1234D')).toBe('LARGE_VEHICLE');
  });

  it('refuses other Guangxi cities and other provinces with their own reasons', () => {
    expect(reason('桂B12345')).toBe('OTHER_CITY_GUANGXI');
    expect(reason('桂RD12345')).toBe('OTHER_CITY_GUANGXI');
    expect(reason('粤A12345')).toBe('OTHER_PROVINCE');
    expect(reason('京AD12345')).toBe('OTHER_PROVINCE');
    expect(reason('湘B1234学')).toBe('OTHER_PROVINCE');
  });

  it('refuses letters I and O, which plates never use', () => {
    expect(reason('桂A1234I')).toBe('MALFORMED');
    expect(reason('桂A1234O')).toBe('MALFORMED');
    expect(reason('桂AO1234')).toBe('MALFORMED');
    expect(reason('桂AD1O234')).toBe('MALFORMED');
    expect(PLATE_LETTERS).not.toMatch(/[IO]/);
  });

  it('refuses wrong lengths and junk as MALFORMED', () => {
    for (const bad of [
      '',
      '桂',
      '桂A',
      '桂A1234',
      '桂A123456',
      '桂A1234567',
      '桂AD123456',
      'AB12345',
      '12345678',
      '桂a',
      '🚗A12345',
      '桂A1234-',
      'x'.repeat(100),
    ]) {
      expect(reason(bad)).toBe('MALFORMED');
    }
    // I/O as the city letter is also not a real city
    expect(reason('桂I12345')).toBe('OTHER_CITY_GUANGXI');
  });

  it('refuses coach, police and trailer plates', () => {
    expect(reason('桂A1234学')).toBe('SPECIAL_VEHICLE');
    expect(reason('桂A1234警')).toBe('SPECIAL_VEHICLE');
    expect(reason('桂A1234挂')).toBe('SPECIAL_VEHICLE');
  });

  it('normalises: trims, upper-cases, full-width to ASCII, drops separators', () => {
    expect(normalisePlate(' 桂a·12345 ')).toBe('桂A12345');
    expect(normalisePlate('桂Ａ１２３４５')).toBe('桂A12345');
    expect(normalisePlate('桂 ad 12345')).toBe('桂AD12345');
    expect(classifyPlate('  桂ab1234\t')).toEqual({ ok: true, plate: '桂AB1234', plateType: '02' });
  });
});

describe('checkPlate with a declared type', () => {
  it('accepts a matching type', () => {
    expect(reason('桂A12345', '02')).toBe('OK 02');
    expect(reason('桂AD12345', '52')).toBe('OK 52');
  });

  it('refuses a type that does not match the format', () => {
    expect(reason('桂A12345', '52')).toBe('TYPE_MISMATCH');
    expect(reason('桂AD12345', '02')).toBe('TYPE_MISMATCH');
  });

  it('refuses large types and unknown types', () => {
    expect(reason('桂A12345', '01')).toBe('LARGE_VEHICLE');
    expect(reason('桂AD12345', '51')).toBe('LARGE_VEHICLE');
    expect(reason('桂A12345', '16')).toBe('TYPE_NOT_SUPPORTED');
    expect(reason('桂A12345', '')).toBe('TYPE_NOT_SUPPORTED');
  });

  it("reports the plate's own refusal before a type problem", () => {
    expect(reason('粤A12345', '52')).toBe('OTHER_PROVINCE');
    expect(reason('桂A12345D', '52')).toBe('LARGE_VEHICLE');
  });

  it('requireSupportedPlate throws PLATE_NOT_SUPPORTED with the reason', () => {
    expect(requireSupportedPlate('桂a12345', '02')).toEqual({ ok: true, plate: '桂A12345', plateType: '02' });
    try {
      requireSupportedPlate('桂B12345');
      throw new Error('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect(e).toMatchObject({ code: 'PLATE_NOT_SUPPORTED', details: { reasons: ['OTHER_CITY_GUANGXI'] } });
    }
  });
});

describe('plate keyboard rules', () => {
  it('has max length 7 for 02 and 8 for 52', () => {
    expect(plateMaxLength('02')).toBe(7);
    expect(plateMaxLength('52')).toBe(8);
    expect(allowedPlateChars('02', 7)).toEqual([]);
    expect(allowedPlateChars('52', 8)).toEqual([]);
    expect(allowedPlateChars('52', -1)).toEqual([]);
  });

  it('offers 桂, A, then the characters each position allows', () => {
    expect(allowedPlateChars('02', 0)).toEqual(['桂']);
    expect(allowedPlateChars('02', 1)).toEqual(['A']);
    expect(allowedPlateChars('02', 2)).toHaveLength(34);
    expect(allowedPlateChars('02', 6)).not.toContain('I');
    expect(allowedPlateChars('52', 2).join('')).toBe('DFABCEGHJK');
    expect(allowedPlateChars('52', 3)).toHaveLength(34);
    expect(allowedPlateChars('52', 4).join('')).toBe('0123456789');
    expect(allowedPlateChars('52', 7).join('')).toBe('0123456789');
  });

  it('tracks prefixes and completion', () => {
    expect(isPlatePrefix('52', '桂AD1')).toBe(true);
    expect(isPlatePrefix('52', '桂AL')).toBe(false);
    expect(isPlatePrefix('02', '桂A123456')).toBe(false);
    expect(nextPlateChars('52', '桂AD1').join('')).toBe('0123456789');
    expect(nextPlateChars('52', '桂AL')).toEqual([]);
    expect(isCompletePlate('02', '桂A12345')).toBe(true);
    expect(isCompletePlate('52', '桂A12345')).toBe(false);
    expect(isCompletePlate('52', '桂AD12345')).toBe(true);
    expect(isCompletePlate('52', '桂AD1234')).toBe(false);
  });

  it('every complete keyboard input classifies as its type', () => {
    const samples: Record<'02' | '52', string[]> = { '02': [], '52': [] };
    for (const type of ['02', '52'] as const) {
      for (let k = 0; k < 50; k += 1) {
        let plate = '';
        for (let i = 0; i < plateMaxLength(type); i += 1) {
          const chars = allowedPlateChars(type, i);
          plate += chars[(k * 7 + i * 13) % chars.length] ?? '';
        }
        samples[type].push(plate);
      }
    }
    for (const plate of samples['02']) expect(reason(plate, '02')).toBe('OK 02');
    for (const plate of samples['52']) expect(reason(plate, '52')).toBe('OK 52');
  });
});
