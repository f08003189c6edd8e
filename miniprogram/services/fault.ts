/** The `fault` function: facility fault reports, their photos uploaded first into the user's own folder. */
import type { FaultUploadTarget, SubmitFaultParams, FaultDetail, FaultItem } from '../domain/fault/contract';
import { call } from './cloud';
import { uploadFile } from './storage';

export function faultUploadTarget(): Promise<FaultUploadTarget> {
  return call('fault', 'uploadTarget', {});
}

/** The extension of a chooseMedia temp path (`wxfile://tmp_….png`), 'jpg' when it has none (the cloud reads the bytes anyway). */
function extensionOf(path: string): string {
  const match = /\.(jpe?g|png|webp)$/i.exec(path);
  return match?.[1] === undefined ? 'jpg' : match[1].toLowerCase().replace('jpeg', 'jpg');
}

/** Uploads one photo into `dir` under a name no other upload of this user takes; resolves with its fileID. */
export function uploadFaultPhoto(dir: string, filePath: string, index: number, now: number): Promise<string> {
  const unique = `${now.toString(36)}-${index}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  return uploadFile(filePath, `${dir}${unique}.${extensionOf(filePath)}`);
}

export function submitFault(params: SubmitFaultParams): Promise<FaultDetail> {
  return call('fault', 'submit', params);
}

export async function myFaults(): Promise<readonly FaultItem[]> {
  const { reports } = await call('fault', 'list', {});
  return reports;
}

export function faultDetail(reportId: string): Promise<FaultDetail> {
  return call('fault', 'detail', { reportId });
}
