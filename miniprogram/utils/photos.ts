/** Choosing photos with wx.chooseMedia (album or camera, images only, compressed). Never rejects. */

export interface ChosenPhoto {
  /** The local temp path (`wxfile://tmp_…`), what wx.cloud.uploadFile takes and <image> shows. */
  readonly path: string;
  readonly size: number;
}

export type PhotoSource = 'album' | 'camera';

/** Up to `count` photos; [] when the user cancelled or the host cannot choose any. `sources` first = offered first. */
export function choosePhotos(
  count: number,
  sources: readonly PhotoSource[] = ['album', 'camera'],
): Promise<ChosenPhoto[]> {
  return new Promise((resolve) => {
    if (count <= 0) {
      resolve([]);
      return;
    }
    try {
      wx.chooseMedia({
        count,
        mediaType: ['image'],
        sizeType: ['compressed'],
        sourceType: [...sources],
        // Read as possibly missing or malformed, whatever the typings promise.
        success: (res) =>
          resolve(
            ((res.tempFiles as typeof res.tempFiles | undefined) ?? [])
              .filter(
                (file) =>
                  file.fileType !== 'video' && typeof file.tempFilePath === 'string' && file.tempFilePath !== '',
              )
              .slice(0, count)
              .map((file) => ({ path: file.tempFilePath, size: Number(file.size as unknown) || 0 })),
          ),
        fail: () => resolve([]),
      });
    } catch {
      resolve([]);
    }
  });
}
