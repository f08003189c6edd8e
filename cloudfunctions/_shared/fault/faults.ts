/**
 * Traffic-facility fault reports (交通设施报障). A verified user uploads up to 3 photos into their own folder of cloud
 * storage (the page, with wx.cloud.uploadFile), then submits the report with the fileIDs. The cloud checks each
 * photo — in the caller's folder, there, ≤ 5 MB, really JPEG/PNG/WebP by its bytes — deletes refused uploads of
 * the caller's own, and keeps its own copy of the checked bytes (so a later overwrite or delete of the upload
 * changes nothing the police see). The police move reports through the domain's state machine with admin actions.
 */
import http from 'node:http';
import https from 'node:https';
import { DomainError } from '../../../miniprogram/domain/core/errors';
import {
  checkPhoto,
  isInUploadDir,
  MAX_FAULT_PHOTOS,
  MAX_FAULT_REPORTS_PER_DAY,
  MAX_PHOTO_BYTES,
  PHOTO_EXTENSIONS,
  photoKindOf,
  transitionFault,
  type PhotoRefusal,
} from '../../../miniprogram/domain/fault/fault';
import { maskName } from '../../../miniprogram/domain/account/id-number';
import { audit } from '../audit';
import { nowIso } from '../clock';
import { COLLECTIONS } from '../collections';
import { checkDailyQuota, dailyQuota, takeDailySlot, type DailyQuota } from '../daily-quota';
import { count, database, find, getById, setById, updateById, type Filter } from '../db';
import { command } from '../cloud';
import { districtOf } from '../../../miniprogram/domain/fault/districts';
import { createdAtBounds } from '../../../miniprogram/domain/fault/police-list';
import { actorLabel, type Actor } from '../police/access';
import { auditActorOf } from '../police/officers/audit-trail';
import { keyOf, newId } from '../ids';
import { cloudStorage, type StoragePort } from '../ports/storage';
import type { FaultHistoryRecord, FaultPhotoRecord, FaultReportDoc, PersonDoc } from '../records';
import { inTransaction } from '../transaction';
import { requireVerified } from '../account/caller';
import type {
  FaultUploadTarget,
  FaultItem,
  FaultDetail,
  SubmitFaultParams,
  FaultListResult,
} from '../../../miniprogram/domain/fault/contract';
import type {
  AdminFaultItem,
  ListFaultsParams,
  AdminFaultListResult,
  UpdateFaultParams,
  RevealFaultReporterResult,
} from '../police/contract';

const LIST_LIMIT = 50;
const ADMIN_LIST_DEFAULT = 50;
const NOT_FOUND_MESSAGE = '未找到该报障记录。';
/** A size probe that hangs must not hold the submit: the photo is then downloaded and checked as before. */
const SIZE_PROBE_TIMEOUT_MS = 3000;

/**
 * The caller's own upload folder. The key is derived from the openid, so it names the account without showing it,
 * and nobody can guess another user's folder without their openid (which no answer ever carries).
 */
export function uploadDirOf(openid: string): string {
  return `fault-uploads/${keyOf(`fault-uploads|${openid}`)}/`;
}

export async function faultUploadTarget(openid: string): Promise<FaultUploadTarget> {
  await requireVerified(openid);
  return { dir: uploadDirOf(openid), maxPhotos: MAX_FAULT_PHOTOS, maxPhotoBytes: MAX_PHOTO_BYTES };
}

function item(doc: FaultReportDoc): FaultItem {
  return {
    reportId: doc._id,
    type: doc.type,
    status: doc.status,
    description: doc.description,
    place: doc.name || doc.address,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    note: doc.note,
    photoCount: doc.photos.length,
  };
}

function detail(doc: FaultReportDoc, urls: Map<string, string>): FaultDetail {
  return {
    ...item(doc),
    latitude: doc.latitude,
    longitude: doc.longitude,
    name: doc.name,
    address: doc.address,
    // The reporter gets a URL to look at each copy, never the copy's fileID.
    photos: doc.photos.map((p) => ({ url: urls.get(p.fileID) ?? '' })),
    // the officers who handled it are the police's to know, not the reporter's
    history: doc.history.map((h) => ({ status: h.status, at: h.at, note: h.note })),
  };
}

async function urlsOf(docs: readonly FaultReportDoc[], storage: StoragePort): Promise<Map<string, string>> {
  return storage.tempUrls(docs.flatMap((doc) => doc.photos.map((p) => p.fileID)));
}

export interface CheckedPhoto {
  readonly index: number;
  readonly fileID: string;
  readonly bytes: Buffer | null;
  readonly refusal: PhotoRefusal | null;
  /** The temporary URL the size was probed on ('' for another user's file): the plate OCR reads the photo there. */
  readonly url: string;
}

/**
 * The size of the file behind a temp URL, from a one-byte ranged GET (COS answers 206 with `Content-Range: bytes
 * 0-0/<size>`; a server that ignores Range answers 200 with Content-Length, and the body is dropped unread), or null
 * when it tells nothing usable — then the download decides. A GET, not a HEAD: the URL is signed for GET only.
 */
function sizeOfUrl(url: string): Promise<number | null> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve(null);
      return;
    }
    const req = (target.protocol === 'http:' ? http : https).get(
      target,
      { headers: { range: 'bytes=0-0' }, timeout: SIZE_PROBE_TIMEOUT_MS },
      (res) => {
        const total = /\/(\d{1,15})$/.exec(res.headers['content-range'] ?? '')?.[1];
        const length = res.headers['content-length'];
        const size =
          res.statusCode === 206 && total !== undefined
            ? Number(total)
            : res.statusCode === 200 && typeof length === 'string' && /^\d{1,15}$/.test(length)
              ? Number(length)
              : null;
        res.destroy();
        resolve(size);
      },
    );
    req.on('timeout', () => req.destroy(new Error('size probe timed out')));
    req.on('error', () => resolve(null));
  });
}

/** Each photo checked (fault reports, plate scans); another user's file is never even read, nor one over the limit. */
export async function checkPhotos(
  fileIDs: readonly string[],
  dir: string,
  storage: StoragePort,
): Promise<CheckedPhoto[]> {
  const urls = await storage.tempUrls(fileIDs.filter((fileID) => isInUploadDir(fileID, dir)));
  return Promise.all(
    fileIDs.map(async (fileID, index): Promise<CheckedPhoto> => {
      if (!isInUploadDir(fileID, dir)) return { index, fileID, bytes: null, refusal: 'PHOTO_NOT_OWNED', url: '' };
      const url = urls.get(fileID) ?? '';
      const size = url === '' ? null : await sizeOfUrl(url);
      if (size !== null && size > MAX_PHOTO_BYTES)
        return { index, fileID, bytes: null, refusal: 'PHOTO_TOO_LARGE', url };
      const bytes = await storage.download(fileID);
      return { index, fileID, bytes, refusal: checkPhoto({ fileID, bytes }, dir), url };
    }),
  );
}

/** Reports one person may submit per Nanning day: a fixed-id counter taken in the transaction that stores the report. */
function reportQuota(personId: string): DailyQuota {
  return dailyQuota({
    collection: COLLECTIONS.dailyQuotas,
    purpose: 'faultReport',
    subject: personId,
    limit: MAX_FAULT_REPORTS_PER_DAY,
    message: `每天最多提交 ${MAX_FAULT_REPORTS_PER_DAY} 条报障，请明天再试；紧急情况请拨打 122。`,
  });
}

/** A burst of reports from one person queues on their day's counter document rather than failing busy. */
const REPORT_ATTEMPTS = 12;

export async function submitFault(
  openid: string,
  params: SubmitFaultParams,
  storage: StoragePort = cloudStorage,
): Promise<FaultDetail> {
  const caller = await requireVerified(openid);
  const quota = reportQuota(caller.person._id);
  // Early answer before any photo is read or copied; the slot taken when the report is stored is what counts.
  await checkDailyQuota(database, quota);
  const dir = uploadDirOf(openid);
  const checked = await checkPhotos(params.fileIDs, dir, storage);
  const refused = checked.filter((photo) => photo.refusal !== null);
  const first = refused[0];
  if (first?.refusal) {
    // The caller's own refused uploads go (they can never be used); a missing file is gone, another's is not ours.
    await storage.remove(
      refused
        .filter((p) => p.refusal === 'PHOTO_TOO_LARGE' || p.refusal === 'PHOTO_TYPE_NOT_ALLOWED')
        .map((p) => p.fileID),
    );
    throw new DomainError(first.refusal, undefined, {
      field: `fileIDs[${first.index}]`,
      reasons: refused.map((p) => `fileIDs[${p.index}]:${p.refusal ?? ''}`),
      ...(first.refusal === 'PHOTO_TOO_LARGE' ? { limit: MAX_PHOTO_BYTES } : {}),
    });
  }

  const reportId = newId();
  const at = nowIso();
  const photos: FaultPhotoRecord[] = [];
  const doc: FaultReportDoc = {
    _id: reportId,
    personId: caller.person._id,
    openid,
    reporterName: maskName(caller.person.name),
    type: params.type,
    latitude: params.latitude,
    longitude: params.longitude,
    name: params.name ?? '',
    address: params.address ?? '',
    description: params.description,
    photos,
    status: 'submitted',
    note: '',
    history: [{ status: 'submitted', at, note: '' }],
    createdAt: at,
    updatedAt: at,
    district: districtOf(params),
  };
  try {
    for (const photo of checked) {
      const bytes = photo.bytes ?? Buffer.alloc(0);
      const kind = photoKindOf(bytes) ?? 'jpeg';
      const fileID = await storage.upload(
        `fault-reports/${reportId}/photo-${photo.index + 1}.${PHOTO_EXTENSIONS[kind]}`,
        bytes,
      );
      photos.push({ fileID, kind, bytes: bytes.length });
    }
    await inTransaction(async (tx) => {
      await takeDailySlot(tx, quota);
      await setById(tx, COLLECTIONS.faultReports, reportId, doc);
    }, REPORT_ATTEMPTS);
  } catch (error) {
    await storage.remove(photos.map((p) => p.fileID));
    throw error;
  }
  // The checked copies are the report's; the uploads are no longer needed.
  await storage.remove(params.fileIDs);
  return detail(doc, await urlsOf([doc], storage));
}

export async function myFaults(openid: string): Promise<FaultListResult> {
  const caller = await requireVerified(openid);
  const docs = await find<FaultReportDoc>(
    COLLECTIONS.faultReports,
    { personId: caller.person._id },
    { orderBy: [['createdAt', 'desc']], limit: LIST_LIMIT },
  );
  return { reports: docs.map(item) };
}

export async function faultDetail(
  openid: string,
  reportId: string,
  storage: StoragePort = cloudStorage,
): Promise<FaultDetail> {
  const caller = await requireVerified(openid);
  const doc = await getById<FaultReportDoc>(database, COLLECTIONS.faultReports, reportId);
  // another user's report is answered exactly like none
  if (!doc || doc.personId !== caller.person._id) throw new DomainError('NOT_FOUND', NOT_FOUND_MESSAGE);
  return detail(doc, await urlsOf([doc], storage));
}
function adminItem(doc: FaultReportDoc, urls: Map<string, string>): AdminFaultItem {
  return {
    ...detail(doc, urls),
    photos: doc.photos.map((p) => ({ fileID: p.fileID, url: urls.get(p.fileID) ?? '' })),
    reporterName: doc.reporterName,
    district: doc.district ?? districtOf(doc),
    history: doc.history.map((h) => ({
      status: h.status,
      at: h.at,
      note: h.note,
      officer: h.officer === undefined ? null : { login: h.officer.login, name: h.officer.name },
    })),
  };
}

/** The filter of the police's list: equalities first, then the days, in the order the indexes list them. */
function listFilter(params: ListFaultsParams): Filter {
  const bounds = createdAtBounds(params.from, params.to);
  const range =
    bounds.from !== undefined && bounds.before !== undefined
      ? command.gte(bounds.from).and(command.lt(bounds.before))
      : bounds.from !== undefined
        ? command.gte(bounds.from)
        : bounds.before !== undefined
          ? command.lt(bounds.before)
          : undefined;
  return {
    ...(params.status === undefined ? {} : { status: params.status }),
    ...(params.type === undefined ? {} : { type: params.type }),
    ...(params.district === undefined ? {} : { district: params.district }),
    ...(range === undefined ? {} : { createdAt: range }),
  };
}

export async function listFaults(
  params: ListFaultsParams,
  storage: StoragePort = cloudStorage,
): Promise<AdminFaultListResult> {
  const filter = listFilter(params);
  const [docs, total] = await Promise.all([
    find<FaultReportDoc>(COLLECTIONS.faultReports, filter, {
      orderBy: [
        ['createdAt', params.order ?? 'asc'],
        ['_id', params.order ?? 'asc'],
      ],
      ...(params.offset === undefined ? {} : { skip: params.offset }),
      limit: params.limit ?? ADMIN_LIST_DEFAULT,
    }),
    count(COLLECTIONS.faultReports, filter),
  ]);
  const urls = await urlsOf(docs, storage);
  return { reports: docs.map((doc) => adminItem(doc, urls)), total };
}

/** How an officer is named in a report's history. */
function officerOf(actor: Actor): { login: string; name: string } {
  if (actor.kind === 'officer') return { login: actor.login, name: actor.name ?? actor.login };
  return { login: actorLabel(actor), name: actorLabel(actor) };
}

export async function updateFault(
  params: UpdateFaultParams,
  actor: Actor,
  storage: StoragePort = cloudStorage,
): Promise<AdminFaultItem> {
  const updated = await inTransaction(async (tx) => {
    const doc = await getById<FaultReportDoc>(tx, COLLECTIONS.faultReports, params.reportId);
    if (!doc) throw new DomainError('NOT_FOUND', NOT_FOUND_MESSAGE);
    const at = nowIso();
    const next = transitionFault(
      { status: doc.status, note: doc.note, history: doc.history },
      params.status,
      params.note ?? '',
      at,
    );
    const step: FaultHistoryRecord = { status: next.status, at, note: next.note, officer: officerOf(actor) };
    const history: FaultHistoryRecord[] = [...doc.history.map((h) => ({ ...h })), step];
    const patch = { status: next.status, note: next.note, history, updatedAt: at };
    await updateById(tx, COLLECTIONS.faultReports, doc._id, patch);
    await audit(tx, {
      openid: '',
      action: 'admin.updateFault',
      target: `faultReports/${doc._id}`,
      before: doc.status,
      after: next.status,
      actor: auditActorOf(actor),
    });
    return { ...doc, ...patch };
  });
  return adminItem(updated, await urlsOf([updated], storage));
}

/** The reporter's full name, for an officer who must call them back; the admin function audits every reveal. */
export async function revealFaultReporter(reportId: string): Promise<RevealFaultReporterResult> {
  const doc = await getById<FaultReportDoc>(database, COLLECTIONS.faultReports, reportId);
  if (!doc) throw new DomainError('NOT_FOUND', NOT_FOUND_MESSAGE);
  const person = await getById<PersonDoc>(database, COLLECTIONS.people, doc.personId);
  return { reportId: doc._id, reporterName: person?.name ?? doc.reporterName };
}
