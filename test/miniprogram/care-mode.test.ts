// 关怀模式's decision: WeChat's font size from 20 px, or the person's own switch; anything malformed is the standard.
import { CARE_FONT_SIZE, careModeFrom } from '../../miniprogram/utils/care-mode';

describe('careModeFrom', () => {
  it('turns on at the care font size, not below it', () => {
    expect(CARE_FONT_SIZE).toBe(20);
    expect(careModeFrom(16, '')).toBe(false);
    expect(careModeFrom(17, '')).toBe(false);
    expect(careModeFrom(19, '')).toBe(false);
    expect(careModeFrom(20, '')).toBe(true);
    expect(careModeFrom(28, '')).toBe(true);
  });

  it('turns on when the person switched it on, whatever the font size', () => {
    expect(careModeFrom(16, true)).toBe(true);
    expect(careModeFrom(undefined, true)).toBe(true);
    expect(careModeFrom(16, false)).toBe(false);
    // wx.getStorageSync answers '' for a key never written
    expect(careModeFrom(16, '')).toBe(false);
  });

  it('treats malformed values as the standard size and the switch off', () => {
    for (const size of [undefined, null, '20', '', Number.NaN, Number.POSITIVE_INFINITY, {}, [20]])
      expect(careModeFrom(size, '')).toBe(false);
    for (const stored of ['true', 1, 'on', {}, null, undefined]) expect(careModeFrom(16, stored)).toBe(false);
  });
});
