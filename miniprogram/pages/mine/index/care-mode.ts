/** The 关怀模式 choice, kept on this phone only (the care mode itself reads the same key). */
export const CARE_MODE_KEY = 'careMode';

export function readCareMode(): boolean {
  return wx.getStorageSync(CARE_MODE_KEY) === true;
}
