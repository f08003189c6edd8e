/** Cloud storage from the phone: the only caller of `wx.cloud.uploadFile`. */
import { ServiceError } from './errors';

/** Uploads the local file `filePath` (a wx.chooseMedia temp path) to `cloudPath`; resolves with its fileID. */
export function uploadFile(filePath: string, cloudPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    try {
      wx.cloud.uploadFile({
        cloudPath,
        filePath,
        success: (res) =>
          typeof res.fileID === 'string' && res.fileID !== ''
            ? resolve(res.fileID)
            : reject(new ServiceError('UPLOAD_FAILED')),
        fail: () => reject(new ServiceError('UPLOAD_FAILED')),
      });
    } catch {
      reject(new ServiceError('UPLOAD_FAILED'));
    }
  });
}
