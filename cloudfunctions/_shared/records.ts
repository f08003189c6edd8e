/** The shapes of the documents the use cases read and write (the registries' rows plus the app's own records). */
import type { AttemptState, CertificateSnapshot } from '../../miniprogram/domain/certificate/certificate';
import type { ReminderKind } from '../../miniprogram/domain/reminder/reminders';
import type { IsoDate } from '../../miniprogram/domain/core/dates';
import type { ViolationSource, ViolationStatus } from '../../miniprogram/domain/violation/eligibility';
import type { LicenceStatus } from '../../miniprogram/domain/licence/licence';
import type { PlateType } from '../../miniprogram/domain/vehicle/plate';
import type { StoredDoc } from './db';
import type { MoveCarOutcome, MoveCarReply, RateState } from '../../miniprogram/domain/move-car/move-car';
import type { FaultHistoryEntry, FaultStatus, FaultType, PhotoKind } from '../../miniprogram/domain/fault/fault';
import type { FaultDistrict } from '../../miniprogram/domain/fault/districts';
import type { GuideSection } from '../../miniprogram/domain/guide/contract';
import type { OfficeService, OfficeStatus } from '../../miniprogram/domain/guide/offices';
import type { PaymentStatus } from '../../miniprogram/domain/payment/contract';
import type { TowStatus } from '../../miniprogram/domain/tow/tows';
import type { VehicleRelation, BindingRequestStatus } from '../../miniprogram/domain/vehicle/contract';
import type { RefundStatus } from './payment/refunds/rules';
import type { PoliceRole } from './police/access';
import type { OfficerState } from './police/officers/rules';

/** drivers/<idNumber> — the licence registry. */
export interface DriverDoc extends StoredDoc {
  idNumber: string;
  name: string;
  licenceClass: string;
  firstIssueDate: IsoDate;
  validUntil: IsoDate;
  status: LicenceStatus;
  cyclePoints: number;
  /** The start of the scoring cycle `cyclePoints` counts (absent on records imported before it was kept). */
  pointsCycleStart?: IsoDate;
  /** The registry's watermark (Asia/Shanghai ISO, to the ms): `cyclePoints` include online decisions up to then; null: none. */
  onlinePointsThrough?: string | null;
  /** The latest online decision on this licence (epoch ms), written by processing: the write that serialises batches. */
  lastOnlineDecisionAtMs?: number;
}

/** vehicles/<plateType>_<plate> — the vehicle registry. */
export interface VehicleDoc extends StoredDoc {
  plate: string;
  plateType: PlateType;
  ownerIdNumber: string;
  ownerName: string;
  inspectionDue: IsoDate | null;
}

/** violations/<violationId> — the registry's record, plus what online processing adds. */
export interface ViolationDoc extends StoredDoc {
  violationId: string;
  plate: string;
  plateType: PlateType;
  vehicleId: string;
  occurredAt: string;
  place: string;
  behaviour: string;
  fine: number;
  points: number;
  source: ViolationSource;
  status: ViolationStatus;
  disputed: boolean;
  decisionId?: string;
  decisionNo?: string;
  decidedOn?: IsoDate;
  /** The person whose decision covers it (processed online): only they see its decision number. */
  processedBy?: string;
  /** When the registry first sent it (set on insert only): what "new violation" reminders look at. */
  receivedAt?: string;
  /** 违法代码 and 法律依据, when the registry sends them (older rows carry neither). */
  code?: string;
  legalBasis?: string;
  /** fileIDs of the camera's evidence photos in cloud storage. */
  photos?: string[];
  /** When the bank took the fine, as the registry reports it (Asia/Shanghai ISO), for a violation paid there. */
  paidAt?: string;
}

/** users/<openid> — a WeChat account; personId once real-name + face verification passed. */
export interface UserDoc extends StoredDoc {
  registeredAt: string;
  personId: string | null;
}

export interface BindingEntry {
  bindingId: string;
  vehicleId: string;
  plate: string;
  plateType: PlateType;
  relation: VehicleRelation;
  since: string;
}

/** people/<personId> — a verified person: the account they use now and the cars they have bound. */
export interface PersonDoc extends StoredDoc {
  idNumber: string;
  name: string;
  openid: string | null;
  verifiedAt: string;
  bindings: BindingEntry[];
}

export interface OtherDriver {
  bindingId: string;
  personId: string;
  name: string;
  since: string;
}

/** vehicleDrivers/<vehicleId> — the non-owner drivers of a car: the per-car quota's counter and list. */
export interface VehicleDriversDoc extends StoredDoc {
  drivers: OtherDriver[];
}

/** verifications/<key of verifyId> — one face verification, usable once, by the openid that asked. */
export interface VerificationDoc extends StoredDoc {
  verifyId: string;
  openid: string;
  purpose: 'real-person' | 'authorize';
  requestId: string | null;
  name: string;
  /** Only for real-person verification: becomes the person's ID number once it passes. */
  idNumber: string;
  certHash: string;
  /** Still holds the typed ID number (or its hash): until used, or purged after expiry by the user function's timer. */
  personalData?: boolean;
  outSeqNo: string;
  createdAt: string;
  expiresAtMs: number;
  usedAt: string | null;
  result: 'passed' | 'failed' | null;
}

/** bindingRequests/<id> — a driver asks the owner to let them bind the owner's car. */
export interface BindingRequestDoc extends StoredDoc {
  requesterPersonId: string;
  requesterName: string;
  ownerPersonId: string;
  vehicleId: string;
  plate: string;
  plateType: PlateType;
  status: BindingRequestStatus;
  createdAt: string;
  expiresAtMs: number;
  decidedAt: string | null;
  bindingId: string | null;
}

export interface DecisionItem {
  violationId: string;
  plate: string;
  occurredAt: string;
  behaviour: string;
  fine: number;
  points: number;
  /** 违法代码, when the registry sent one (the police export carries it). */
  code?: string;
}

/** decisions/<id> — a penalty decision (处罚决定书) covering one or several violations. */
export interface DecisionDoc extends StoredDoc {
  decisionNo: string;
  personId: string;
  openid: string;
  items: DecisionItem[];
  fine: number;
  points: number;
  decidedOn: IsoDate;
  decidedAt: string;
  status: 'unpaid' | 'paid';
  paidAt: string | null;
  paidOrderId: string | null;
  /** Where it was paid: online (WeChat Pay) or, as the registry reports, at a bank counter; unset while unpaid. */
  paidVia?: 'wechat' | 'registry';
  /** Position in the police export (sequence.ts exportKey): set when decided, set again when paid. */
  exportKey?: string;
}

/** orders/<outTradeNo> — one payment attempt for a decision, at the amount due on the day it was created. */
export interface OrderDoc extends StoredDoc {
  outTradeNo: string;
  decisionId: string;
  decisionNo: string;
  personId: string;
  openid: string;
  amount: number;
  fine: number;
  surcharge: number;
  status: PaymentStatus;
  createdAt: string;
  createdOn: IsoDate;
  payment: { timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string } | null;
  paidAt: string | null;
  transactionId: string | null;
  paidFee: number | null;
}

/**
 * refunds/<outTradeNo> — money WeChat Pay collected that is to go back, one per payment; its life cycle is in
 * payment/refunds/rules.ts. Records queued before refunds were paid back carry only the first six fields.
 */
export interface RefundDoc extends StoredDoc {
  outTradeNo: string;
  transactionId: string;
  /** The whole amount WeChat Pay collected (fen): a refund never pays back less or more. */
  amount: number;
  reason: string;
  queuedAt: string;
  status: RefundStatus;
  /** Fixed for the payment, so a retry is the same refund to WeChat Pay. */
  outRefundNo?: string;
  /** actorLabel of the officer who asked, or 'system' when settling queued it. */
  requestedBy?: string;
  approvedBy?: string | null;
  approvedAt?: string | null;
  /** Sends to WeChat Pay so far; each claims the refund first. */
  attempts?: number;
  sentAt?: string | null;
  refundId?: string | null;
  /** WeChat Pay's own time of the refund, +08:00. */
  refundedAt?: string | null;
  /** Why the last send or WeChat Pay's confirmation failed. */
  failure?: string | null;
  updatedAt?: string;
}

/** reminderSubscriptions/<openid> — one-time subscriptions the user granted and the cloud has not spent yet. */
export interface SubscriptionDoc extends StoredDoc {
  credits: Record<ReminderKind, number>;
  /** Sum of credits: the sweep visits only users with something left. */
  total: number;
  updatedAt: string;
}

/** reminderLog/<key of openid + event> — one reminder, claimed before it is sent so no event is sent twice. */
export interface ReminderLogDoc extends StoredDoc {
  openid: string;
  kind: ReminderKind;
  /** The event (`violation:<id>`, `licence:<validUntil>`, `inspection:<car>:<due>`, `surcharge:<decision>`). */
  key: string;
  status: 'claimed' | 'sent' | 'failed';
  claimedAt: string;
  doneAt: string | null;
  errcode: number | null;
}

/** reminderSweeps/<yyyy-mm-dd> — how far the day's sweep got (runs resume from here). */
export interface ReminderSweepDoc extends StoredDoc {
  cursor: string;
  complete: boolean;
  updatedAt: string;
}

/** bindingRequestLocks/<key of requester + vehicle> — the driver's open request for that car, so racing requests meet. */
export interface BindingRequestLockDoc extends StoredDoc {
  requestId: string;
}

/** certificates/<number> — a driver-credit certificate: a snapshot of the record, checkable with its code. */
export interface CertificateDoc extends StoredDoc {
  number: string;
  code: string;
  personId: string;
  openid: string;
  issuedAt: string;
  issuedOn: IsoDate;
  expiresAt: string;
  expiresAtMs: number;
  revokedAt: string | null;
  snapshot: CertificateSnapshot;
}

/**
 * certificateAttempts/<number> — everyone's wrong codes for a number (existing or not), for the ceiling lock; and
 * certificateAttempts/<number>_<key of verifier> — one verifier's, for their slow-down and lock.
 */
export interface CertificateAttemptDoc extends StoredDoc, AttemptState {
  updatedAt: string;
}

/**
 * A per-day counter (daily-quota.ts): dailyQuotas/<purpose>_<personId>_<day> (certificates issued, fault reports) and
 * verifyCallers/verify_<key of verifier>_<day> (wrong certificate codes one account, one address or all anonymous
 * calls got that day, across numbers).
 */
export interface DailyQuotaDoc extends StoredDoc {
  day: IsoDate;
  count: number;
  updatedAt: string;
}
/** offices/<officeId> — a service hall or vehicle management office, as the police import it (GCJ-02). */
export interface OfficeDoc extends StoredDoc {
  officeId: string;
  name: string;
  address: string;
  latitude: number;
  longitude: number;
  hours: string;
  services: OfficeService[];
  phone: string | null;
  status: OfficeStatus;
}

/** guides/<guideId> — a guide the police wrote and may correct by importing it again. */
export interface GuideDoc extends StoredDoc {
  guideId: string;
  title: string;
  summary: string;
  sections: GuideSection[];
  officeService: OfficeService | null;
  order: number;
  updatedOn: IsoDate;
}

/** tows/<towId> — a car the police towed, where it is and what it costs to collect. */
export interface TowDoc extends StoredDoc {
  towId: string;
  plate: string;
  plateType: PlateType;
  vehicleId: string;
  towedAt: string;
  yardName: string;
  yardAddress: string;
  latitude: number;
  longitude: number;
  fee: number;
  yardHours: string;
  yardPhone: string;
  status: TowStatus;
}
/** Why an owner could not be reached (kept for the police and the on-call engineer; never shown to the requester). */
export type UnreachableReason = 'noVehicle' | 'notRegistered' | 'noSubscription' | 'sendFailed';

/** moveCarRequests/<id> — one move-car request and what came of it: the record of every request. */
export interface MoveCarRequestDoc extends StoredDoc {
  requesterPersonId: string;
  requesterOpenid: string;
  /** The registered owner's person key (set even when they never used the app), '' when the car is not registered. */
  ownerPersonId: string;
  vehicleId: string;
  plate: string;
  place: string;
  createdAt: string;
  createdAtMs: number;
  /** 'pending' only between the rate-limited insert and the notification. */
  outcome: MoveCarOutcome | 'pending';
  unreachableReason: UnreachableReason | null;
  notifiedAt: string | null;
  reply: MoveCarReply | null;
  answeredAt: string | null;
}

/** moveCarLimits/<requester_<personId> | plate_<vehicleId>> — one rate-limit counter (fixed id, updated in a transaction); plate scans count in plateScan_<personId>_<day> (daily-quota.ts). */
export interface MoveCarLimitDoc extends StoredDoc, RateState {
  updatedAt: string;
}

export interface FaultPhotoRecord {
  /** The cloud's own copy of the checked bytes (fault-reports/<reportId>/…), so a later overwrite cannot change it. */
  fileID: string;
  kind: PhotoKind;
  bytes: number;
}

/** faultReports/<id> — a facility fault a user reported, and how the police handled it. */
export interface FaultReportDoc extends StoredDoc {
  personId: string;
  openid: string;
  /** Masked, for the police's list. */
  reporterName: string;
  type: FaultType;
  latitude: number;
  longitude: number;
  name: string;
  address: string;
  description: string;
  photos: FaultPhotoRecord[];
  status: FaultStatus;
  note: string;
  history: FaultHistoryRecord[];
  createdAt: string;
  updatedAt: string;
  /** From the coordinates when filed (districtOf); reports filed before it was kept have none. */
  district?: FaultDistrict;
}

/** One step of a report; `officer` names who moved it (absent on the reporter's own filing). */
export interface FaultHistoryRecord extends FaultHistoryEntry {
  officer?: { login: string; name: string };
}

/** officers/<login> — a police officer's account; the id is the normalised login, so a login is taken once. */
export interface OfficerDoc extends StoredDoc {
  login: string;
  name: string;
  /** `scrypt$N$r$p$salt$hash` (police/officers/credentials.ts); never the password. */
  passwordHash: string;
  /** Base32 TOTP secret, shown once when the account is made. */
  totpSecret: string;
  /** The last TOTP time step accepted: a code is used once. */
  lastTotpStep: number | null;
  roles: PoliceRole[];
  state: OfficerState;
  /** Bumped by a password change, reset, lock or disable: sessions of an older epoch are over. */
  epoch: number;
  /** The password is temporary and `totpSecret` unused: the next sign-in opens only enrolment (absent: false). */
  mustEnrol?: boolean;
  /** The secret startEnrolment handed out, until completeEnrolment proves the officer's app holds it. */
  pendingTotpSecret?: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

/** officerSessions/<sha256 of the token> — one signed-in session; the token itself is never stored. */
export interface OfficerSessionDoc extends StoredDoc {
  officerId: string;
  epoch: number;
  createdAtMs: number;
  lastSeenAtMs: number;
  revoked: boolean;
  /** `enrolment`: signed in with a temporary password, opens only the enrolment actions (absent: a normal session). */
  purpose?: 'enrolment';
}

/** integrationKeys/<keyId> — a system's key for the import actions; only the secret's hash is kept. */
export interface IntegrationKeyDoc extends StoredDoc {
  name: string;
  /** sha256 hex of the secret part of `pk_<keyId>_<secret>`. */
  secretHash: string;
  state: 'active' | 'revoked';
  createdAt: string;
  createdBy: string;
  rotatedAt: string | null;
  lastUsedAt: string | null;
}

/** signInAttempts/login:<login> or source:<key> — failed sign-ins counted before each password check. */
export interface SignInAttemptDoc extends StoredDoc {
  /** login counters */
  failures?: number;
  blockedUntilMs?: number;
  locked?: boolean;
  /** source counters */
  windowStartMs?: number;
  updatedAt: string;
}
