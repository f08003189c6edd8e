/** WeChat's face verification (base library ≥ 3.8.12); the verdict comes from the cloud, not from this callback. */
import { ServiceError } from './errors';

export function requestFacialVerify(verifyId: string): Promise<void> {
  // base libraries before 3.8.12 have no requestFacialVerify (the older startFacialRecognitionVerify flow is closed)
  if (typeof wx.requestFacialVerify !== 'function') return Promise.reject(new ServiceError('WECHAT_TOO_OLD'));
  return new Promise((resolve, reject) => {
    wx.requestFacialVerify({
      verifyId,
      success: () => resolve(),
      fail: (res) => {
        const cancelled = typeof res.errMsg === 'string' && res.errMsg.indexOf('cancel') >= 0;
        reject(new ServiceError(cancelled ? 'FACE_CANCELLED' : 'FACE_INTERRUPTED'));
      },
    });
  });
}
