/**
 * One-click move-car (一键挪车). A verified driver names the plate of the car blocking them; the cloud finds the
 * owner through the vehicle registry (owner's ID number → the person → the account they use now) and sends them a
 * subscribe message, spending one of the owner's move-car subscriptions. The requester learns only the outcome;
 * the owner sees the request (plate, place, time — never who asked) and may answer. Every request is recorded.
 *
 * Rate limits hold under any concurrency: both counters (the requester's and the plate's, fixed ids) are read,
 * checked and written in the same transaction that records the request, so a burst cannot slip past them.
 */
import { DomainError } from '../../../miniprogram/domain/core/errors';
import { isInUploadDir, MAX_PHOTO_BYTES } from '../../../miniprogram/domain/fault/fault';
import {
  MOVE_CAR_ANSWER_WINDOW_MS,
  MOVE_CAR_REPLY_TEXTS,
  moveCarMessage,
  PLATE_LIMITS,
  PLATE_SCAN_LIMIT_MESSAGE,
  PLATE_SCANS_PER_DAY,
  readScannedPlate,
  rateLimitMessage,
  REQUESTER_LIMITS,
  takeRateSlot,
  type MoveCarOutcome,
  type RateState,
} from '../../../miniprogram/domain/move-car/move-car';
import { classifyPlate, plateError } from '../../../miniprogram/domain/vehicle/plate';
import { nowIso, nowMs } from '../clock';
import { COLLECTIONS, vehicleDocId } from '../collections';
import { dailyQuota, takeDailySlot } from '../daily-quota';
import { database, find, getById, setById, updateById, type Scope } from '../db';
import { newId, personIdOf } from '../ids';
import { cloudMessages, type MessagePort } from '../ports/messages';
import { wechatPlateOcr, type PlateOcrPort } from '../ports/plate-ocr';
import { cloudStorage, type StoragePort } from '../ports/storage';
import type { MoveCarLimitDoc, MoveCarRequestDoc, PersonDoc, UnreachableReason, UserDoc, VehicleDoc } from '../records';
import { inTransaction, type Tx } from '../transaction';
import { requireVerified } from '../account/caller';
import { checkPhotos, uploadDirOf } from '../fault/faults';
import { sendReminderNow } from '../reminder/reminders';
import type {
  MoveCarRequestView,
  IncomingMoveCarItem,
  MoveCarParams,
  MoveCarListResult,
  IncomingMoveCarResult,
  AnswerMoveCarParams,
  RecognisePlateParams,
  RecognisedPlate,
} from '../../../miniprogram/domain/move-car/contract';

const LIST_LIMIT = 20;
/** A burst from one driver queues on their counter document: each request waits its turn rather than failing busy. */
const LIMIT_ATTEMPTS = 12;
const NOT_FOUND_MESSAGE = '未找到该挪车请求。';

function stateOf(doc: MoveCarLimitDoc | null): RateState | null {
  if (!doc) return null;
  // The record is read as it is stored, whatever its fields hold.
  const stored: Partial<Record<keyof RateState, unknown>> = doc;
  return {
    day: String(stored.day),
    dayCount: Number(stored.dayCount) || 0,
    recent: Array.isArray(stored.recent) ? stored.recent.map(Number) : [],
  };
}

/** Takes one slot of both counters or throws RATE_LIMITED; inside the transaction that records the request. */
async function takeSlots(tx: Tx, requesterPersonId: string, vehicleId: string): Promise<void> {
  const requesterKey = `requester_${requesterPersonId}`;
  const plateKey = `plate_${vehicleId}`;
  const now = nowMs();
  const mine = takeRateSlot(
    stateOf(await getById<MoveCarLimitDoc>(tx, COLLECTIONS.moveCarLimits, requesterKey)),
    REQUESTER_LIMITS,
    now,
  );
  if (!mine.allowed) {
    throw new DomainError('RATE_LIMITED', rateLimitMessage('requester', mine.rule, mine.retryAfterSeconds), {
      retryAfterSeconds: mine.retryAfterSeconds,
      limit: mine.rule === 'perDay' ? REQUESTER_LIMITS.perDay : REQUESTER_LIMITS.burst.max,
    });
  }
  const plate = takeRateSlot(
    stateOf(await getById<MoveCarLimitDoc>(tx, COLLECTIONS.moveCarLimits, plateKey)),
    PLATE_LIMITS,
    now,
  );
  if (!plate.allowed) {
    throw new DomainError('RATE_LIMITED', rateLimitMessage('plate', plate.rule, plate.retryAfterSeconds), {
      retryAfterSeconds: plate.retryAfterSeconds,
      limit: plate.rule === 'perDay' ? PLATE_LIMITS.perDay : PLATE_LIMITS.burst.max,
    });
  }
  const updatedAt = nowIso();
  await setById(tx, COLLECTIONS.moveCarLimits, requesterKey, {
    ...mine.next,
    recent: [...mine.next.recent],
    updatedAt,
  });
  await setById(tx, COLLECTIONS.moveCarLimits, plateKey, { ...plate.next, recent: [...plate.next.recent], updatedAt });
}

/** What the requester sees: the outcome and the owner's reply, nothing about the owner. */
function requesterView(doc: MoveCarRequestDoc): MoveCarRequestView {
  // 'pending' lasts only while the message is being sent; one left behind by a crash never reached anyone.
  const outcome: MoveCarOutcome =
    doc.reply !== null ? 'answered' : doc.outcome === 'pending' ? 'unreachable' : doc.outcome;
  const view: MoveCarRequestView = {
    requestId: doc._id,
    plate: doc.plate,
    place: doc.place,
    createdAt: doc.createdAt,
    outcome,
  };
  return doc.reply === null
    ? view
    : {
        ...view,
        reply: doc.reply,
        replyText: MOVE_CAR_REPLY_TEXTS[doc.reply],
        answeredAt: doc.answeredAt ?? doc.createdAt,
      };
}

/** What the owner sees: the request, never who asked. */
function ownerView(doc: MoveCarRequestDoc, now: number): IncomingMoveCarItem {
  const item: IncomingMoveCarItem = {
    requestId: doc._id,
    plate: doc.plate,
    place: doc.place,
    createdAt: doc.createdAt,
    answerable: now - doc.createdAtMs <= MOVE_CAR_ANSWER_WINDOW_MS,
  };
  return doc.reply === null
    ? item
    : {
        ...item,
        reply: doc.reply,
        replyText: MOVE_CAR_REPLY_TEXTS[doc.reply],
        answeredAt: doc.answeredAt ?? doc.createdAt,
      };
}

/** The account the owner uses now, if they registered and verified; never leaves this module. */
async function ownerAccount(scope: Scope, ownerPersonId: string): Promise<string | null> {
  const person = await getById<PersonDoc>(scope, COLLECTIONS.people, ownerPersonId);
  if (!person?.openid) return null;
  const user = await getById<UserDoc>(scope, COLLECTIONS.users, person.openid);
  return user && user.personId === person._id ? person.openid : null;
}

async function notifyOwner(
  doc: MoveCarRequestDoc,
  messages: MessagePort,
): Promise<{ outcome: 'notified' | 'unreachable'; reason: UnreachableReason | null }> {
  if (doc.ownerPersonId === '') return { outcome: 'unreachable', reason: 'noVehicle' };
  const openid = await ownerAccount(database, doc.ownerPersonId);
  if (openid === null) return { outcome: 'unreachable', reason: 'notRegistered' };
  const message = moveCarMessage({ requestId: doc._id, plate: doc.plate, place: doc.place, atMs: doc.createdAtMs });
  const delivery = await sendReminderNow(
    openid,
    { kind: 'moveCar', key: `moveCar:${doc._id}`, page: message.page, data: message.data },
    messages,
  );
  if (delivery === 'sent') return { outcome: 'notified', reason: null };
  return { outcome: 'unreachable', reason: delivery === 'noCredit' ? 'noSubscription' : 'sendFailed' };
}

export async function requestMoveCar(
  openid: string,
  params: MoveCarParams,
  messages: MessagePort = cloudMessages,
): Promise<MoveCarRequestView> {
  const caller = await requireVerified(openid);
  const plate = classifyPlate(params.plate);
  if (!plate.ok) throw plateError(plate);
  const vehicleId = vehicleDocId(plate.plateType, plate.plate);
  const vehicle = await getById<VehicleDoc>(database, COLLECTIONS.vehicles, vehicleId);
  if (vehicle && vehicle.ownerIdNumber === caller.person.idNumber) {
    throw new DomainError('OWN_VEHICLE', '这是您本人名下的车辆，不能给自己发送挪车通知。');
  }
  const createdAtMs = nowMs();
  const doc: MoveCarRequestDoc = {
    _id: newId(),
    requesterPersonId: caller.person._id,
    requesterOpenid: openid,
    // A car not in the registry is recorded and counted like any other, and answered like an unreachable owner.
    ownerPersonId: vehicle ? personIdOf(vehicle.ownerIdNumber) : '',
    vehicleId,
    plate: plate.plate,
    place: params.place ?? '',
    createdAt: new Date(createdAtMs).toISOString(),
    createdAtMs,
    outcome: 'pending',
    unreachableReason: null,
    notifiedAt: null,
    reply: null,
    answeredAt: null,
  };
  await inTransaction(async (tx) => {
    await takeSlots(tx, caller.person._id, vehicleId);
    await setById(tx, COLLECTIONS.moveCarRequests, doc._id, doc);
  }, LIMIT_ATTEMPTS);
  let notified: Awaited<ReturnType<typeof notifyOwner>>;
  try {
    notified = await notifyOwner(doc, messages);
  } catch (error) {
    // The request is recorded and its slot spent: it must end with an outcome (call 122), not an error and 'pending'.
    console.error('[moveCar.request] notifying the owner failed', doc._id, error);
    notified = { outcome: 'unreachable', reason: 'sendFailed' };
  }
  const { outcome, reason } = notified;
  const notifiedAt = outcome === 'notified' ? nowIso() : null;
  await updateById(database, COLLECTIONS.moveCarRequests, doc._id, { outcome, unreachableReason: reason, notifiedAt });
  return requesterView({ ...doc, outcome, unreachableReason: reason, notifiedAt });
}

export async function myMoveCarRequests(openid: string): Promise<MoveCarListResult> {
  const caller = await requireVerified(openid);
  const docs = await find<MoveCarRequestDoc>(
    COLLECTIONS.moveCarRequests,
    { requesterPersonId: caller.person._id },
    { orderBy: [['createdAt', 'desc']], limit: LIST_LIMIT },
  );
  return { requests: docs.map(requesterView) };
}

export async function moveCarStatus(openid: string, requestId: string): Promise<MoveCarRequestView> {
  const caller = await requireVerified(openid);
  const doc = await getById<MoveCarRequestDoc>(database, COLLECTIONS.moveCarRequests, requestId);
  // someone else's request is answered exactly like none
  if (!doc || doc.requesterPersonId !== caller.person._id) throw new DomainError('NOT_FOUND', NOT_FOUND_MESSAGE);
  return requesterView(doc);
}

export async function incomingMoveCarRequests(openid: string): Promise<IncomingMoveCarResult> {
  const caller = await requireVerified(openid);
  const docs = await find<MoveCarRequestDoc>(
    COLLECTIONS.moveCarRequests,
    { ownerPersonId: caller.person._id },
    { orderBy: [['createdAt', 'desc']], limit: LIST_LIMIT },
  );
  const now = nowMs();
  return { requests: docs.map((doc) => ownerView(doc, now)) };
}

export async function answerMoveCar(openid: string, params: AnswerMoveCarParams): Promise<IncomingMoveCarItem> {
  const caller = await requireVerified(openid);
  return inTransaction(async (tx) => {
    const doc = await getById<MoveCarRequestDoc>(tx, COLLECTIONS.moveCarRequests, params.requestId);
    if (!doc || doc.ownerPersonId !== caller.person._id) throw new DomainError('NOT_FOUND', NOT_FOUND_MESSAGE);
    const now = nowMs();
    if (now - doc.createdAtMs > MOVE_CAR_ANSWER_WINDOW_MS) {
      throw new DomainError('REQUEST_EXPIRED', '该挪车请求已超过 2 小时，无需再回复。');
    }
    const answeredAt = new Date(now).toISOString();
    await updateById(tx, COLLECTIONS.moveCarRequests, doc._id, { reply: params.reply, answeredAt });
    return ownerView({ ...doc, reply: params.reply, answeredAt }, now);
  });
}
/** One paid recognition more for this person today (a fixed-id counter per day, in its own transaction), or RATE_LIMITED. */
async function takePlateScan(personId: string): Promise<void> {
  const quota = dailyQuota({
    collection: COLLECTIONS.moveCarLimits,
    purpose: 'plateScan',
    subject: personId,
    limit: PLATE_SCANS_PER_DAY,
    message: PLATE_SCAN_LIMIT_MESSAGE,
  });
  await inTransaction((tx) => takeDailySlot(tx, quota), LIMIT_ATTEMPTS);
}

/**
 * The plate on a photo the caller just uploaded into their own folder: checked as a fault photo is (whose, there,
 * size, bytes), counted, read by WeChat's plate OCR through a temporary URL, and deleted whatever happened. The
 * page only pre-fills its keyboard with the answer; nothing is sent to anyone.
 */
export async function recognisePlate(
  openid: string,
  params: RecognisePlateParams,
  ocr: PlateOcrPort = wechatPlateOcr,
  storage: StoragePort = cloudStorage,
): Promise<RecognisedPlate> {
  const caller = await requireVerified(openid);
  const dir = uploadDirOf(openid);
  // another user's file is never read, nor deleted
  if (!isInUploadDir(params.fileID, dir)) throw new DomainError('PHOTO_NOT_OWNED', undefined, { field: 'fileID' });
  let text: string | null;
  try {
    // the fault photos' checks (size first, then the bytes); the URL they probed is the one the OCR fetches
    const [photo] = await checkPhotos([params.fileID], dir, storage);
    if (!photo || photo.refusal !== null) {
      const refusal = photo?.refusal ?? 'PHOTO_NOT_FOUND';
      throw new DomainError(refusal, undefined, {
        field: 'fileID',
        ...(refusal === 'PHOTO_TOO_LARGE' ? { limit: MAX_PHOTO_BYTES } : {}),
      });
    }
    await takePlateScan(caller.person._id);
    if (photo.url === '') throw new DomainError('PHOTO_NOT_FOUND', undefined, { field: 'fileID' });
    const read = await ocr.read(photo.url);
    text = read.found ? read.text : null;
  } finally {
    // the photo was only a means to the plate: nobody keeps a picture of someone else's car
    await storage.remove([params.fileID]);
  }
  const plate = text === null ? null : readScannedPlate(text);
  if (plate === null) throw new DomainError('PLATE_NOT_RECOGNISED', undefined, { field: 'fileID' });
  if (!plate.ok) {
    throw new DomainError('PLATE_NOT_SUPPORTED', `识别到的号牌为 ${plate.plate}。${plate.message}`, {
      field: 'fileID',
      reasons: [plate.reason],
    });
  }
  return { plate: plate.plate, plateType: plate.plateType };
}
