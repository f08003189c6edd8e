/**
 * Number plates (GA 36-2018). Only 桂A small cars are served: type 02 (blue, 7 characters) and 52 (green, 8).
 * Everything else is refused with a distinct reason the page can explain.
 */

import { DomainError } from '../core/errors';

export type PlateType = '02' | '52';

export const PLATE_TYPE_NAMES: Readonly<Record<string, string>> = {
  '01': '大型汽车',
  '02': '小型汽车',
  '51': '大型新能源汽车',
  '52': '小型新能源汽车',
};

/** Types that are refused as large vehicles rather than as unknown types. */
const LARGE_PLATE_TYPES: readonly string[] = ['01', '51'];

export type PlateRefusalReason =
  | 'MALFORMED' // not the shape of any plate, wrong length, or letters I/O
  | 'OTHER_PROVINCE' // 粤A…, 湘B…
  | 'OTHER_CITY_GUANGXI' // 桂B… (柳州) and the other Guangxi cities
  | 'LARGE_VEHICLE' // 桂A12345D (type 51) or a declared type 01/51
  | 'SPECIAL_VEHICLE' // 桂A1234学 / 警 / 挂…: coach, police, trailer plates
  | 'TYPE_MISMATCH' // e.g. a blue 7-character plate declared as 52
  | 'TYPE_NOT_SUPPORTED'; // any other declared plate type

export const PLATE_REFUSAL_MESSAGES: Readonly<Record<PlateRefusalReason, string>> = {
  MALFORMED: '号牌号码格式不正确，请核对（号牌中不使用字母 I 和 O）。',
  OTHER_PROVINCE: '本业务仅受理桂A号牌车辆，外省号牌请通过“交管12123”或当地交管部门办理。',
  OTHER_CITY_GUANGXI: '本业务仅受理南宁（桂A）号牌车辆，区内其他城市号牌请通过“交管12123”或当地交管部门办理。',
  LARGE_VEHICLE: '大型汽车（含大型新能源汽车）的违法不能在本小程序处理，请到交警窗口办理。',
  SPECIAL_VEHICLE: '教练车、警车、挂车等专用号牌车辆不能在本小程序办理。',
  TYPE_MISMATCH: '号牌种类与号牌号码不符：7 位为小型汽车（蓝牌），8 位为小型新能源汽车（绿牌）。',
  TYPE_NOT_SUPPORTED: '本业务仅支持小型汽车（02）和小型新能源汽车（52）号牌。',
};

/** Province-level abbreviations that start civil plates. */
const PROVINCE_ABBREVIATIONS = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

/** Letters used on plates: A–Z without I and O (they read as 1 and 0). */
export const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const PLATE_DIGITS = '0123456789';
/** Second letter of a small new-energy plate: D pure electric, F other new energy, the rest newer series. */
const NEW_ENERGY_SMALL_LETTERS = 'DFABCEGHJK';
/** Chinese last characters of special-purpose plates (coach, police, trailer, test, oversize, consulate, HK, Macau). */
const SPECIAL_SUFFIXES = '学警挂试超领使港澳';

const PLATE_PROVINCE = '桂';
const PLATE_CITY = 'A';
export const PLATE_PREFIX = `${PLATE_PROVINCE}${PLATE_CITY}`;

const SMALL_CAR = /^桂A[A-HJ-NP-Z0-9]{5}$/;
const SMALL_NEW_ENERGY = /^桂A[DFABCEGHJK][A-HJ-NP-Z0-9]\d{4}$/;
const LARGE_NEW_ENERGY = /^桂A[A-HJ-NP-Z0-9]{5}[DF]$/;
/** Loose shape of any civil plate, I/O included so they can be reported as letters that are never used. */
const ANY_PLATE = /^(.)([A-Z])([A-Z0-9]{5,6})$/;
const ANY_SPECIAL_PLATE = /^(.)([A-Z])[A-Z0-9]{4}[学警挂试超领使港澳]$/;

export function plateMaxLength(type: PlateType): 7 | 8 {
  return type === '02' ? 7 : 8;
}

function isSupportedPlateType(value: unknown): value is PlateType {
  return value === '02' || value === '52';
}

/**
 * Trim, upper-case, full-width letters/digits to ASCII, and drop the spaces and separator dots people type
 * (`桂A·12345`, `桂a 12345`) — the stored plate is always the bare 7 or 8 characters.
 */
export function normalisePlate(input: string): string {
  let out = '';
  for (const ch of input.trim()) {
    const code = ch.charCodeAt(0);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (ch === ' ' || ch === '\u3000' || ch === '·' || ch === '•' || ch === '.' || ch === '-') continue;
    else out += ch;
  }
  return out.toUpperCase();
}

export interface SupportedPlate {
  readonly ok: true;
  readonly plate: string;
  readonly plateType: PlateType;
}

export interface RefusedPlate {
  readonly ok: false;
  readonly plate: string;
  readonly reason: PlateRefusalReason;
  readonly message: string;
}

export type PlateCheck = SupportedPlate | RefusedPlate;

function refuse(plate: string, reason: PlateRefusalReason): RefusedPlate {
  return { ok: false, plate, reason, message: PLATE_REFUSAL_MESSAGES[reason] };
}

/** Classify a plate by its characters alone (the type is inferred: 7 characters → 02, 8 → 52). */
export function classifyPlate(input: string): PlateCheck {
  const plate = typeof input === 'string' && input.length <= 32 ? normalisePlate(input) : '';
  const shape = ANY_PLATE.exec(plate) ?? ANY_SPECIAL_PLATE.exec(plate);
  if (shape === null) return refuse(plate, 'MALFORMED');
  const province = shape[1] ?? '';
  const city = shape[2] ?? '';
  if (PROVINCE_ABBREVIATIONS.indexOf(province) < 0) return refuse(plate, 'MALFORMED');
  if (province !== PLATE_PROVINCE) return refuse(plate, 'OTHER_PROVINCE');
  if (city !== PLATE_CITY) return refuse(plate, 'OTHER_CITY_GUANGXI');
  if (SPECIAL_SUFFIXES.indexOf(plate.charAt(plate.length - 1)) >= 0) return refuse(plate, 'SPECIAL_VEHICLE');
  if (SMALL_CAR.test(plate)) return { ok: true, plate, plateType: '02' };
  if (SMALL_NEW_ENERGY.test(plate)) return { ok: true, plate, plateType: '52' };
  if (LARGE_NEW_ENERGY.test(plate)) return refuse(plate, 'LARGE_VEHICLE');
  return refuse(plate, 'MALFORMED');
}

/** Classify and compare with the declared plate type; the plate's own refusal wins over a type problem. */
export function checkPlate(input: string, declaredType: string): PlateCheck {
  const classified = classifyPlate(input);
  if (!classified.ok) return classified;
  if (classified.plateType === declaredType) return classified;
  if (LARGE_PLATE_TYPES.indexOf(declaredType) >= 0) return refuse(classified.plate, 'LARGE_VEHICLE');
  if (!isSupportedPlateType(declaredType)) return refuse(classified.plate, 'TYPE_NOT_SUPPORTED');
  return refuse(classified.plate, 'TYPE_MISMATCH');
}

export function plateError(refused: RefusedPlate, field = 'plate'): DomainError {
  return new DomainError('PLATE_NOT_SUPPORTED', refused.message, { field, reasons: [refused.reason] });
}

/** The supported plate or a PLATE_NOT_SUPPORTED DomainError carrying the reason. */
export function requireSupportedPlate(input: string, declaredType?: string): SupportedPlate {
  const result = declaredType === undefined ? classifyPlate(input) : checkPlate(input, declaredType);
  if (!result.ok) throw plateError(result);
  return result;
}
const LETTERS_AND_DIGITS: readonly string[] = Array.from(PLATE_LETTERS + PLATE_DIGITS);
const DIGITS: readonly string[] = Array.from(PLATE_DIGITS);

/**
 * Characters the keyboard offers at `position` (0-based) for a plate of `type`; empty past the last position.
 * Positions 0–1 are fixed to 桂 and A because nothing else is served (the page may prefill them).
 */
export function allowedPlateChars(type: PlateType, position: number): readonly string[] {
  if (!Number.isInteger(position) || position < 0 || position >= plateMaxLength(type)) return [];
  if (position === 0) return [PLATE_PROVINCE];
  if (position === 1) return [PLATE_CITY];
  if (type === '02') return LETTERS_AND_DIGITS;
  if (position === 2) return Array.from(NEW_ENERGY_SMALL_LETTERS);
  if (position === 3) return LETTERS_AND_DIGITS;
  return DIGITS;
}

/** Whether every character typed so far is allowed where it stands (a valid prefix of a plate of `type`). */
export function isPlatePrefix(type: PlateType, typed: string): boolean {
  const chars = Array.from(typed);
  if (chars.length > plateMaxLength(type)) return false;
  return chars.every((ch, i) => allowedPlateChars(type, i).indexOf(ch) >= 0);
}

/** What the keyboard should enable next, given what is typed (empty when complete or when the prefix is invalid). */
export function nextPlateChars(type: PlateType, typed: string): readonly string[] {
  if (!isPlatePrefix(type, typed)) return [];
  return allowedPlateChars(type, Array.from(typed).length);
}

/** Whether the typed text is a complete plate of `type` (the page enables 'confirm'). */
export function isCompletePlate(type: PlateType, typed: string): boolean {
  const result = classifyPlate(typed);
  return result.ok && result.plateType === type && result.plate === typed;
}
