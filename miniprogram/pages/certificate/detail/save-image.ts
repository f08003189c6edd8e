/**
 * The thin wx side of "save as image": find the `<canvas type="2d">` node, draw the laid-out certificate on it,
 * export it with wx.canvasToTempFilePath and save it with wx.saveImageToPhotosAlbum. Each failure is typed so the
 * page can answer a refused album permission differently from a cancelled save.
 */
import { drawCertificateImage, type Canvas2D, type CertificateImage } from './image';

export type SaveFailure = 'denied' | 'cancelled' | 'failed';

export class SaveImageError extends Error {
  readonly reason: SaveFailure;

  constructor(reason: SaveFailure, message: string) {
    super(message);
    // keeps instanceof working when DevTools compiles to ES5
    Object.setPrototypeOf(this, SaveImageError.prototype);
    this.reason = reason;
  }
}

interface CanvasNode {
  width: number;
  height: number;
  getContext(type: '2d'): Canvas2D;
}

function isCanvasNode(value: unknown): value is CanvasNode {
  return (
    typeof value === 'object' && value !== null && typeof (value as { getContext?: unknown }).getContext === 'function'
  );
}

function failureOf(errMsg: unknown): SaveImageError {
  const text = typeof errMsg === 'string' ? errMsg : '';
  // "auth deny" / "auth denied" / "authorize no response": the album permission was refused, now or before
  if (/auth/.test(text)) return new SaveImageError('denied', text);
  if (/cancel/.test(text)) return new SaveImageError('cancelled', text);
  return new SaveImageError('failed', text);
}

function canvasNode(component: WechatMiniprogram.Component.TrivialInstance, selector: string): Promise<CanvasNode> {
  return new Promise((resolve, reject) => {
    wx.createSelectorQuery()
      .in(component)
      .select(selector)
      .fields({ node: true, size: true }, () => undefined)
      .exec((res: unknown[]) => {
        const first = res[0];
        const node: unknown =
          typeof first === 'object' && first !== null ? (first as { node?: unknown }).node : undefined;
        if (isCanvasNode(node)) resolve(node);
        else reject(new SaveImageError('failed', `no canvas at ${selector}`));
      });
  });
}

/** Canvas pixels per image pixel: a 1500 px wide image stays sharp when zoomed on a phone. */
const IMAGE_SCALE = 2;

function toTempFile(canvas: CanvasNode): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.canvasToTempFilePath({
      canvas,
      destWidth: canvas.width,
      destHeight: canvas.height,
      fileType: 'png',
      success: (res) => resolve(res.tempFilePath),
      fail: (res) => reject(failureOf(res.errMsg)),
    });
  });
}

function saveToAlbum(filePath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.saveImageToPhotosAlbum({
      filePath,
      success: () => resolve(),
      fail: (res) => reject(failureOf(res.errMsg)),
    });
  });
}

/** Draws `image` on the canvas `selector` of `component` (already rendered at the image's size) and saves it. */
export async function saveCertificateImage(
  component: WechatMiniprogram.Component.TrivialInstance,
  selector: string,
  image: CertificateImage,
): Promise<void> {
  const canvas = await canvasNode(component, selector);
  canvas.width = image.width * IMAGE_SCALE;
  canvas.height = image.height * IMAGE_SCALE;
  drawCertificateImage(canvas.getContext('2d'), image, IMAGE_SCALE);
  await saveToAlbum(await toTempFile(canvas));
}
