/** The facility fault-report contract (`fault` function): upload folder, submit, the reporter's list and detail. */

import type { Action, EmptyParams } from '../core/envelope';
import type { FaultType, FaultStatus, FaultHistoryEntry } from './fault';

/** Where the caller's photos go before `fault.submit`: their own folder and the limits the cloud checks. */
export interface FaultUploadTarget {
  /** `fault-uploads/<key>/`, the caller's own folder (the key names the account without revealing it). */
  readonly dir: string;
  readonly maxPhotos: number;
  readonly maxPhotoBytes: number;
}

export interface SubmitFaultParams {
  readonly type: FaultType;
  /** GCJ-02, from wx.chooseLocation or wx.getLocation({ type: 'gcj02' }); inside Nanning. */
  readonly latitude: number;
  readonly longitude: number;
  /** The place's name and address as wx.chooseLocation gives them ('' from wx.getLocation). */
  readonly name?: string;
  readonly address?: string;
  readonly description: string;
  /** Up to 3 fileIDs the caller uploaded into their `dir`. */
  readonly fileIDs: readonly string[];
}

export interface FaultItem {
  readonly reportId: string;
  readonly type: FaultType;
  readonly status: FaultStatus;
  readonly description: string;
  /** The place's name or address ('' when only coordinates are known). */
  readonly place: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The police's latest note ('' when none). */
  readonly note: string;
  readonly photoCount: number;
}

export interface FaultListResult {
  readonly reports: readonly FaultItem[];
}

export interface FaultReportIdParams {
  readonly reportId: string;
}

/** One of a report's photos, as its reporter sees it: only a URL (the cloud's copy is not theirs to address). */
export interface FaultPhoto {
  /** A temporary URL to show it (expires); '' when the file could not be found. */
  readonly url: string;
}

export interface FaultDetail extends FaultItem {
  readonly latitude: number;
  readonly longitude: number;
  readonly name: string;
  readonly address: string;
  readonly photos: readonly FaultPhoto[];
  readonly history: readonly FaultHistoryEntry[];
}

/** The `fault` function's actions. */
export interface FaultActions {
  readonly uploadTarget: Action<EmptyParams, FaultUploadTarget>;
  readonly submit: Action<SubmitFaultParams, FaultDetail>;
  readonly list: Action<EmptyParams, FaultListResult>;
  readonly detail: Action<FaultReportIdParams, FaultDetail>;
}
