import { readCareMode } from './utils/care';

// The cloud environment id; replace with the real one from the CloudBase console before uploading.
const CLOUD_ENV = 'gui-a-traffic-env-id';

App<IAppOption>({
  globalData: {
    cloudEnv: CLOUD_ENV,
    care: false,
  },

  onLaunch() {
    this.globalData.care = readCareMode();
    // Typed as always there; base libraries before 2.2.3 have no wx.cloud.
    if (!(wx as { cloud?: unknown }).cloud) {
      console.error('请使用 2.2.3 或以上的基础库以使用云能力');
      return;
    }
    // traceUser: record each visitor in the console's user list (who called which function).
    wx.cloud.init({ env: CLOUD_ENV, traceUser: true });
  },

  // WeChat has no font-size change event: a change in its settings is made outside, so it is read back on return
  onShow() {
    this.globalData.care = readCareMode();
  },
});
