/**
 * 关怀模式 (care mode), after WeChat's 适老化设计指南: larger type, one column, ≥ 48 px tap targets, stronger contrast.
 * It is on when the person's WeChat font size is the care size or when they switched it on in the mini program;
 * every page takes `careBehavior` (care.ts) and puts `{{care ? 'care' : ''}}` on its root view; app.wxss does the rest.
 * This file is the decision alone, without `wx`, so that it is unit-tested in Node.
 */

/**
 * WeChat's standard font size is 16 px (Android) or 17 px (iOS); 18–19 px is its "a little larger" step, which our
 * standard layout already absorbs. From 20 px (1.2× the standard, the scale WeChat's own 关怀模式 uses) the person has
 * asked for large print, and a page laid out for 14 px text starts to cut and overlap.
 */
export const CARE_FONT_SIZE = 20;

/** The storage key the 我的 page's switch writes: `true` when the person turned care mode on themselves. */
export const CARE_STORAGE_KEY = 'careMode';

/** The decision, pure: the font size WeChat reports and what the switch stored (anything but a number / `true` is off). */
export function careModeFrom(fontSizeSetting: unknown, stored: unknown): boolean {
  if (stored === true) return true;
  return typeof fontSizeSetting === 'number' && Number.isFinite(fontSizeSetting) && fontSizeSetting >= CARE_FONT_SIZE;
}
