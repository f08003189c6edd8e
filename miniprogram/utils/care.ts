// Care mode as the phone says now, and the `care` flag every page renders on its root view (styles: app.wxss).
import { CARE_STORAGE_KEY, careModeFrom } from './care-mode';

/** The font size WeChat reports (getAppBaseInfo, base library ≥ 2.20.1); none readable is the standard size. */
function fontSizeSetting(): unknown {
  try {
    // typed as always there, but an older base library has no getAppBaseInfo: the page is then simply not enlarged
    return typeof wx.getAppBaseInfo === 'function' ? wx.getAppBaseInfo().fontSizeSetting : undefined;
  } catch {
    return undefined;
  }
}

function storedSwitch(): unknown {
  try {
    return wx.getStorageSync(CARE_STORAGE_KEY);
  } catch {
    return undefined;
  }
}

/** Care mode as the phone says now: read on every page show, so a change in WeChat's settings or on 我的 shows at once. */
export function readCareMode(): boolean {
  return careModeFrom(fontSizeSetting(), storedSwitch());
}

/** The person's own 关怀模式 switch on 我的 (WeChat's font size may turn care mode on regardless). */
export function careSwitchOn(): boolean {
  return storedSwitch() === true;
}

/** Stores the switch on this phone and answers care mode as it now is. */
export function setCareSwitch(on: boolean): boolean {
  wx.setStorageSync(CARE_STORAGE_KEY, on);
  return readCareMode();
}

/** The `care` flag in a page's data, set when the page attaches and again whenever it shows. */
export const careBehavior = Behavior({
  data: { care: false },
  lifetimes: {
    attached() {
      const care = readCareMode();
      if (care !== this.data.care) this.setData({ care });
    },
  },
  pageLifetimes: {
    show() {
      const care = readCareMode();
      if (care !== this.data.care) this.setData({ care });
    },
  },
});
