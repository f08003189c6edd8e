/**
 * Plate OCR (车牌识别): WeChat's `POST /cv/ocr/platenum?img_url=<url>&access_token=<token>`. WeChat fetches the
 * image itself from img_url (here a temporary URL of the upload) and answers `{ errcode, errmsg, number }`.
 * Called over HTTPS with the stable access token, as face verification is, so the local cloud's sandbox answers it
 * on the same /sandbox/wechat route. Each call is billed by WeChat: callers count them.
 */
import { callWechatApi, WechatApiError } from './wechat-http';

export type PlateOcrResult = { readonly found: true; readonly text: string } | { readonly found: false };

export interface PlateOcrPort {
  /** What WeChat read on the image at `imageUrl`; `found: false` when it saw no plate. Outages throw. */
  read(imageUrl: string): Promise<PlateOcrResult>;
}

/** WeChat's OCR answers for "no plate in this image" (101001) and "image data unusable" (101002). */
const NOTHING_READ = [101001, 101002];

export const wechatPlateOcr: PlateOcrPort = {
  async read(imageUrl) {
    try {
      const reply = await callWechatApi(`/cv/ocr/platenum?img_url=${encodeURIComponent(imageUrl)}`, {});
      const text = reply['number'];
      return typeof text === 'string' && text.trim() !== '' ? { found: true, text } : { found: false };
    } catch (error) {
      if (error instanceof WechatApiError && NOTHING_READ.includes(error.errcode)) return { found: false };
      throw error;
    }
  },
};
