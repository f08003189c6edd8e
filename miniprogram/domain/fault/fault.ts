/**
 * Traffic-facility fault reports (交通设施报障): what may be reported, the status a report moves through as the
 * police handle it, and the photo rules the cloud checks before it accepts a report.
 *
 *   submitted ──accept──▶ accepted ──fix──▶ fixed
 *       │                    │
 *       └──────reject────────┴──────▶ rejected
 *
 * fixed and rejected are final. The state machine is the pure function `transitionFault`.
 */
import { DomainError } from '../core/errors';
import { isInChina, type Coordinates } from '../core/geo';

export const FAULT_TYPES = ['signal', 'sign', 'marking', 'guardrail', 'other'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

export const FAULT_TYPE_NAMES: Readonly<Record<FaultType, string>> = {
  signal: '信号灯',
  sign: '交通标志',
  marking: '交通标线',
  guardrail: '护栏',
  other: '其他设施',
};

export const FAULT_STATUSES = ['submitted', 'accepted', 'fixed', 'rejected'] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

export const FAULT_STATUS_NAMES: Readonly<Record<FaultStatus, string>> = {
  submitted: '已提交',
  accepted: '已受理',
  fixed: '已修复',
  rejected: '未受理',
};

/** Where each status may go next. */
export const FAULT_TRANSITIONS: Readonly<Record<FaultStatus, readonly FaultStatus[]>> = {
  submitted: ['accepted', 'rejected'],
  accepted: ['fixed', 'rejected'],
  fixed: [],
  rejected: [],
};

export function canTransition(from: FaultStatus, to: FaultStatus): boolean {
  return FAULT_TRANSITIONS[from].indexOf(to) >= 0;
}

/** Longest note the police may leave on a report. */
export const FAULT_NOTE_MAX = 200;

export interface FaultHistoryEntry {
  readonly status: FaultStatus;
  readonly at: string;
  /** The police's note ('' when none). */
  readonly note: string;
}

export interface FaultState {
  readonly status: FaultStatus;
  readonly note: string;
  readonly history: readonly FaultHistoryEntry[];
}

/**
 * The report after the police move it to `to` at `at` with `note`: the new status, the note the user reads, and
 * the history with one more entry. Refused (INVALID_TRANSITION) from a final status, to the same status, or
 * anything not in FAULT_TRANSITIONS; a rejection must say why.
 */
export function transitionFault(state: FaultState, to: FaultStatus, note: string, at: string): FaultState {
  if (!canTransition(state.status, to)) {
    const allowed = FAULT_TRANSITIONS[state.status].map((s) => FAULT_STATUS_NAMES[s]);
    const tail = allowed.length === 0 ? '已办结，不能再变更。' : `只能变更为：${allowed.join('、')}。`;
    throw new DomainError('INVALID_TRANSITION', `报障当前状态为“${FAULT_STATUS_NAMES[state.status]}”，${tail}`, {
      reasons: [`${state.status}->${to}`],
    });
  }
  const text = note.trim();
  if (to === 'rejected' && text === '') {
    throw new DomainError('INVALID_ARGUMENT', '不予受理时请填写原因，报障人会看到这段说明。', { field: 'note' });
  }
  return { status: to, note: text, history: [...state.history, { status: to, at, note: text }] };
}
export const MAX_FAULT_PHOTOS = 3;
/** 5 MB: a phone photo compressed by wx.chooseMedia (sizeType 'compressed') is far below it. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export const PHOTO_KINDS = ['jpeg', 'png', 'webp'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];

export const PHOTO_EXTENSIONS: Readonly<Record<PhotoKind, string>> = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/** The image format by its first bytes (magic numbers), whatever the file is called; null for anything else. */
export function photoKindOf(bytes: ArrayLike<number>): PhotoKind | null {
  const at = (i: number): number => (i < bytes.length ? (bytes[i] ?? -1) : -1);
  const ascii = (from: number, text: string): boolean =>
    Array.from(text).every((ch, i) => at(from + i) === ch.charCodeAt(0));
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'jpeg';
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => at(i) === b)) return 'png';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
  return null;
}

/** The cloud path inside a fileID (`cloud://<env>.<bucket>/<cloudPath>`), or null when it is not one. */
export function cloudPathOf(fileID: string): string | null {
  const match = /^cloud:\/\/[^/\s]+\/(.+)$/.exec(fileID);
  const path = match?.[1];
  if (path === undefined) return null;
  // no empty, `.` or `..` segment: a path that could mean another folder is nobody's
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..') ? path : null;
}

/** A photo the user uploaded: directly inside their own upload folder `dir` (which ends with `/`). */
export function isInUploadDir(fileID: string, dir: string): boolean {
  const path = cloudPathOf(fileID);
  return (
    path !== null && path.indexOf(dir) === 0 && path.length > dir.length && path.slice(dir.length).indexOf('/') < 0
  );
}

export const PHOTO_REFUSALS = [
  'PHOTO_NOT_FOUND',
  'PHOTO_NOT_OWNED',
  'PHOTO_TOO_LARGE',
  'PHOTO_TYPE_NOT_ALLOWED',
] as const;
export type PhotoRefusal = (typeof PHOTO_REFUSALS)[number];

/** Checked in this order: whose it is (never reading another user's file), that it exists, its size, its bytes. */
export function checkPhoto(
  photo: { readonly fileID: string; readonly bytes: ArrayLike<number> | null },
  dir: string,
): PhotoRefusal | null {
  if (!isInUploadDir(photo.fileID, dir)) return 'PHOTO_NOT_OWNED';
  if (photo.bytes === null) return 'PHOTO_NOT_FOUND';
  if (photo.bytes.length > MAX_PHOTO_BYTES) return 'PHOTO_TOO_LARGE';
  return photoKindOf(photo.bytes) === null ? 'PHOTO_TYPE_NOT_ALLOWED' : null;
}
/**
 * Nanning's administrative area, roughly (GCJ-02): the city's traffic police handle facilities inside it only.
 * Generous at the edges; a point outside is certainly another city's.
 */
const NANNING_BOUNDS = {
  minLatitude: 22.2,
  maxLatitude: 24.1,
  minLongitude: 107.3,
  maxLongitude: 109.7,
} as const;

export function isInNanning(point: Coordinates): boolean {
  return (
    isInChina(point) &&
    point.latitude >= NANNING_BOUNDS.minLatitude &&
    point.latitude <= NANNING_BOUNDS.maxLatitude &&
    point.longitude >= NANNING_BOUNDS.minLongitude &&
    point.longitude <= NANNING_BOUNDS.maxLongitude
  );
}

/** Reports one person may file in a day. */
export const MAX_FAULT_REPORTS_PER_DAY = 10;
export const FAULT_DESCRIPTION_MAX = 200;
