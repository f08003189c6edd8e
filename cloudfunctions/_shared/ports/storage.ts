/**
 * Cloud storage through wx-server-sdk (`cloud.downloadFile/uploadFile/getTempFileURL/deleteFile`); the local cloud
 * answers the same calls from its data folder. Its d.ts types these as `Promise<…> | void | string`: every cast is
 * here, once, and a missing file is a plain `null` for the use cases.
 */
import { cloud } from '../cloud';
import { textOf } from '../text';

export interface StoragePort {
  /** The file's bytes, or null when no such file exists. */
  download(fileID: string): Promise<Buffer | null>;
  /** Writes `bytes` at `cloudPath`; resolves with the new fileID. */
  upload(cloudPath: string, bytes: Buffer): Promise<string>;
  /** Temporary URLs by fileID ('' for a file that could not be found). */
  tempUrls(fileIDs: readonly string[]): Promise<Map<string, string>>;
  /** Deletes what exists of `fileIDs`; never throws (a leftover file is the worst outcome). */
  remove(fileIDs: readonly string[]): Promise<void>;
}

interface SdkStorage {
  downloadFile(p: { fileID: string }): Promise<{ fileContent: Buffer }>;
  uploadFile(p: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string }>;
  getTempFileURL(p: {
    fileList: Array<{ fileID: string; maxAge: number }>;
  }): Promise<{ fileList: Array<{ fileID: string; tempFileURL: string; status: number }> }>;
  deleteFile(p: { fileList: string[] }): Promise<unknown>;
}

const sdk = cloud as unknown as SdkStorage;

/** Temp URLs live an hour: long enough to look at a report, short enough not to become public links. */
const TEMP_URL_SECONDS = 3600;

/** WeChat's "no such file", as the SDK surfaces it (code STORAGE_FILE_NONEXIST, or -503003 in a file list). */
function isMissing(error: unknown): boolean {
  const e = error as { code?: unknown; errCode?: unknown; errMsg?: unknown; message?: unknown } | null;
  const text = `${textOf(e?.errMsg)} ${textOf(e?.message)}`;
  return e?.code === 'STORAGE_FILE_NONEXIST' || e?.errCode === -503003 || /file not exist|NoSuchKey/i.test(text);
}

export const cloudStorage: StoragePort = {
  async download(fileID) {
    try {
      const { fileContent } = await sdk.downloadFile({ fileID });
      return Buffer.isBuffer(fileContent) ? fileContent : Buffer.from(fileContent);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  },

  async upload(cloudPath, bytes) {
    const { fileID } = await sdk.uploadFile({ cloudPath, fileContent: bytes });
    return fileID;
  },

  async tempUrls(fileIDs) {
    const urls = new Map<string, string>();
    if (fileIDs.length === 0) return urls;
    const { fileList } = await sdk.getTempFileURL({
      fileList: fileIDs.map((fileID) => ({ fileID, maxAge: TEMP_URL_SECONDS })),
    });
    for (const file of fileList) urls.set(file.fileID, file.status === 0 ? file.tempFileURL : '');
    return urls;
  },

  async remove(fileIDs) {
    if (fileIDs.length === 0) return;
    try {
      await sdk.deleteFile({ fileList: [...fileIDs] });
    } catch (error) {
      console.error('[storage] delete failed', fileIDs, error);
    }
  },
};
