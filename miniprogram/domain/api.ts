/**
 * The contract between the pages and the cloud functions (DESIGN.md): every function's actions, their params and
 * results, and the response envelope. Field names listed in DESIGN.md are fixed; other fields are optional extras.
 * Amounts are integer fen; dates `YYYY-MM-DD`; instants ISO 8601 with +08:00.
 */

import { type IsoDate } from './dates';
import { type EligibilityReason, type ViolationSource, type ViolationStatus } from './eligibility';
import { type ErrorCode, type Failure } from './errors';
import { type LicenceStatus } from './licence';
import { type PlateType } from './plate';
import {
  type InsurerCode,
  type OfficeService,
  type OfficeStatus,
  type PolicyStatus,
  type PolicyType,
  type TowStatus,
} from './city-services';
import { type CertificateSnapshot, type CertificateStatus } from './certificate';
import { type ReminderKind } from './reminders';
import { type MoveCarOutcome, type MoveCarReply } from './move-car';
import { type FaultHistoryEntry, type FaultStatus, type FaultType } from './fault';

// ---- envelope ----

export interface Success<T> {
  readonly ok: true;
  readonly data: T;
}

/** `{ ok: true, data } | { ok: false, code, message, details? }` */
export type ApiResponse<T> = Success<T> | Failure;

export function ok<T>(data: T): Success<T> {
  return { ok: true, data };
}

/** Params of actions that take none (the event may still carry `action` and WeChat's `userInfo`). */
export type EmptyParams = Readonly<Record<string, never>>;

// ---- user ----

export interface RegisterResult {
  readonly registered: true;
  /** true when this call created the user. */
  readonly created: boolean;
  readonly verified: boolean;
}

export interface LicenceView {
  readonly class: string;
  readonly cyclePoints: number;
  readonly cycleStart: IsoDate;
  readonly cycleEnd: IsoDate;
  readonly validUntil: IsoDate;
  readonly status: LicenceStatus;
  /** Status valid and not past validUntil today. */
  readonly valid?: boolean;
  readonly mayDriveSmallCar?: boolean;
  /** Within 90 days of validUntil. */
  readonly renewalDue?: boolean;
  /** Of cyclePoints, points carried from earlier cycles by fines unpaid when this cycle began. */
  readonly carriedOver?: number;
}

export interface ProfileResult {
  readonly verified: boolean;
  /** Masked (`张*`); null until verified. */
  readonly name: string | null;
  /** Masked (`450***********123X`); null until verified. */
  readonly idNumber: string | null;
  /** null when no licence is linked to the ID number. */
  readonly licence: LicenceView | null;
}

export type FaceVerifyPurpose = 'real-person';

export interface StartFaceVerifyParams {
  readonly name: string;
  readonly idNumber: string;
  readonly purpose: FaceVerifyPurpose;
}

export interface VerifyIdResult {
  readonly verifyId: string;
  /** Seconds the verifyId stays usable (WeChat: 3600). */
  readonly expiresIn?: number;
}

export interface ConfirmFaceVerifyParams {
  readonly verifyId: string;
}

export interface ConfirmFaceVerifyResult {
  readonly verified: true;
  readonly name: string;
  readonly idNumber: string;
  /** The ID number was verified on another WeChat account before and has moved here. */
  readonly movedFromAnotherAccount?: boolean;
}

// ---- vehicle ----

export type VehicleRelation = 'own' | 'other';

export interface VehicleItem {
  readonly plate: string;
  readonly plateType: PlateType;
  readonly relation: VehicleRelation;
  readonly bindingId?: string;
  readonly inspectionDue?: IsoDate;
  /** Masked owner name, for vehicles of others. */
  readonly ownerName?: string;
  /** The owner's own cars: who else may drive them (masked), each revocable by bindingId. */
  readonly drivers?: readonly OtherDriverItem[];
}

export interface OtherDriverItem {
  readonly bindingId: string;
  /** Masked. */
  readonly name: string;
  readonly since: string;
}

export interface VehicleListResult {
  readonly vehicles: readonly VehicleItem[];
}

export interface PlateParams {
  readonly plate: string;
  readonly plateType: PlateType;
}

export type BindOwnParams = PlateParams;
export type BindOwnResult = VehicleItem;

export interface RequestBindingParams extends PlateParams {
  /** The owner's full name as registered; checked against the vehicle registry. */
  readonly ownerName: string;
}

export interface RequestBindingResult {
  readonly requestId: string;
  readonly expiresAt?: string;
}

export const BINDING_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;
export type BindingRequestStatus = (typeof BINDING_REQUEST_STATUSES)[number];

export interface BindingRequestItem {
  readonly requestId: string;
  readonly plate: string;
  readonly status: BindingRequestStatus;
  readonly plateType?: PlateType;
  /** Incoming requests: who asked, masked. */
  readonly requesterName?: string;
  readonly createdAt?: string;
  readonly expiresAt?: string;
}

export interface ListRequestsResult {
  readonly incoming: readonly BindingRequestItem[];
  readonly outgoing: readonly BindingRequestItem[];
  /** The caller's own cars (by the registry, bound or not) that others may drive, with those drivers (masked). */
  readonly ownedCars?: readonly OwnedCarDrivers[];
}

export interface OwnedCarDrivers {
  readonly plate: string;
  readonly plateType: PlateType;
  readonly drivers: readonly OtherDriverItem[];
}

export interface RequestIdParams {
  readonly requestId: string;
}

export interface ApproveParams {
  readonly requestId: string;
  readonly verifyId: string;
}

export interface ApproveResult {
  readonly requestId: string;
  readonly bindingId: string;
  readonly plate: string;
}

export interface RejectResult {
  readonly requestId: string;
  readonly status: 'rejected';
}

export interface UnbindParams {
  readonly plate: string;
}

export interface UnbindResult {
  readonly plate: string;
}

export interface RevokeParams {
  readonly plate: string;
  readonly bindingId: string;
}

export interface RevokeResult {
  readonly plate: string;
  readonly bindingId: string;
}

// ---- violation ----

export interface ViolationListParams {
  readonly plate?: string;
}

export interface ViolationItem {
  /** The registry's violation id. */
  readonly id: string;
  readonly plate: string;
  readonly occurredAt: string;
  readonly place: string;
  readonly behaviour: string;
  readonly fine: number;
  readonly points: number;
  /** Late surcharge today (0 until a decision is 15 days old). */
  readonly surcharge: number;
  readonly processable: boolean;
  readonly reasons: readonly EligibilityReason[];
  readonly plateType?: PlateType;
  readonly status?: ViolationStatus;
  readonly decisionId?: string;
  readonly decisionNo?: string;
}

export interface ViolationListResult {
  readonly violations: readonly ViolationItem[];
  /** The processor's points in the current cycle, when a licence is linked. */
  readonly cyclePoints?: number;
}

export interface ProcessParams {
  readonly violationIds: readonly string[];
}

export interface ProcessResult {
  readonly decisionId: string;
  readonly decisionNo: string;
  /** What is due today: fine + surcharge (no surcharge on the decision day). */
  readonly amount: number;
  readonly fine?: number;
  readonly points?: number;
  readonly decisionDate?: IsoDate;
  /** Last day to pay the fine alone (decision date + 15). */
  readonly dueDate?: IsoDate;
  readonly violationIds?: readonly string[];
}

/** A penalty decision of the caller's, with what is due today. */
export interface DecisionResult {
  readonly decisionId: string;
  readonly decisionNo: string;
  readonly status: 'unpaid' | 'paid';
  readonly decisionDate: IsoDate;
  readonly dueDate: IsoDate;
  readonly fine: number;
  readonly points: number;
  /** Late surcharge today; 0 once paid. */
  readonly surcharge: number;
  /** fine + surcharge today; 0 once paid. */
  readonly amount: number;
  readonly violations: readonly {
    readonly id: string;
    readonly plate: string;
    readonly occurredAt: string;
    readonly behaviour: string;
    readonly fine: number;
    readonly points: number;
  }[];
  readonly paidAt?: string;
}

// ---- licence points, reminders, driver-credit certificates (issue 7) ----

export interface PointsEntryItem {
  readonly decisionId: string;
  readonly decisionNo: string;
  readonly decidedOn: IsoDate;
  readonly points: number;
  /** The violations the decision covers (behaviour, plate, when). */
  readonly violations: readonly {
    readonly plate: string;
    readonly occurredAt: string;
    readonly behaviour: string;
    readonly points: number;
  }[];
  readonly paid: boolean;
  /** 'carried': decided in an earlier cycle, its fine unpaid when this cycle began. */
  readonly kind: 'cycle' | 'carried';
}

export interface PointsHistoryResult {
  readonly cycleStart: IsoDate;
  readonly cycleEnd: IsoDate;
  readonly cyclePoints: number;
  readonly carriedOver: number;
  /** Points the registry counts that were not processed in this app (at a counter, on the spot). */
  readonly otherPoints: number;
  readonly remaining: number;
  /** 12 or more: online processing stops; the driver must attend the full-marks study and exam in person. */
  readonly atFullMarks: boolean;
  readonly entries: readonly PointsEntryItem[];
}

export interface SubscribeParams {
  /** The reminders the user accepted in `wx.requestSubscribeMessage` (each accept allows one message). */
  readonly kinds: readonly ReminderKind[];
}

export interface ReminderCredits {
  /** Messages the cloud may still send, per kind. */
  readonly credits: Readonly<Record<ReminderKind, number>>;
}

export interface SentReminderItem {
  readonly id: string;
  readonly kind: ReminderKind;
  readonly title: string;
  readonly status: 'sent' | 'failed' | 'claimed';
  readonly at: string;
}

export interface ReminderStatusResult extends ReminderCredits {
  /** The newest reminders sent to this account. */
  readonly sent: readonly SentReminderItem[];
}

/** What one run of the reminders timer did (also its return value, logged by the cloud). */
export interface ReminderSweepResult {
  readonly day: IsoDate;
  readonly users: number;
  readonly sent: number;
  readonly failed: number;
  /** Due, but the user had no subscription left for that kind. */
  readonly skippedNoCredit: number;
  /** Due, already sent (or being sent) by an earlier or overlapping run. */
  readonly alreadySent: number;
  /** Subscribers whose reminders could not be worked out this run (logged); the sweep went on past them. */
  readonly userErrors: number;
  /** The day's sweep reached the last subscriber. */
  readonly complete: boolean;
  /** How long this run allowed itself (from the function's time limit): past it, the next run resumes. */
  readonly budgetMs: number;
}

export interface CertificateNumberParams {
  readonly number: string;
}

export interface VerifyCertificateParams {
  readonly number: string;
  /** As typed; dashes, spaces and lower case are forgiven. */
  readonly code: string;
}

export interface CertificateItem {
  readonly number: string;
  readonly status: CertificateStatus;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
}

export interface CertificateListResult {
  readonly certificates: readonly CertificateItem[];
}

/** The driver's own view: with the verification code to hand to an employer. */
export interface CertificateDetail extends CertificateItem {
  /** `XXXX-XXXX-XXXX`. */
  readonly code: string;
  readonly snapshot: CertificateSnapshot;
}

/**
 * What an employer sees: the snapshot (name and ID number masked) and whether it still holds. A revoked certificate
 * shows only that it was revoked: the driver withdrew it, so its contents are no longer shared (null).
 */
export interface CertificateVerification extends CertificateItem {
  readonly snapshot: CertificateSnapshot | null;
}

// ---- payment ----

export const PAYMENT_STATUSES = ['unpaid', 'paid', 'amount_mismatch', 'closed', 'paid_unmatched', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface DecisionIdParams {
  readonly decisionId: string;
}

/** What `wx.requestPayment` takes, as `cloud.cloudPay.unifiedOrder` returns it in `payment`. */
export interface WxPaymentParams {
  readonly timeStamp: string;
  readonly nonceStr: string;
  readonly package: string;
  readonly signType: string;
  readonly paySign: string;
}

export interface CreatePaymentResult {
  readonly orderId: string;
  readonly outTradeNo: string;
  /** Integer fen, computed by the server when the order is created. */
  readonly amount: number;
  readonly payment: WxPaymentParams;
  readonly fine?: number;
  readonly surcharge?: number;
}

export interface OrderIdParams {
  readonly orderId: string;
}

export interface PaymentStatusResult {
  readonly orderId: string;
  readonly status: PaymentStatus;
  readonly amount?: number;
  readonly paidAt?: string;
}

export interface OrderItem {
  readonly orderId: string;
  readonly decisionId: string;
  readonly outTradeNo: string;
  readonly amount: number;
  readonly status: PaymentStatus;
  readonly decisionNo?: string;
  readonly createdAt?: string;
  readonly paidAt?: string;
}

export interface PaymentListResult {
  readonly orders: readonly OrderItem[];
}

// ---- payCallback (the event comes from WeChat Pay, or from anyone pretending to be it) ----

export interface PayCallbackEvent {
  readonly returnCode: string;
  readonly resultCode?: string;
  readonly outTradeNo: string;
  readonly transactionId?: string;
  readonly totalFee?: number;
  /** `yyyyMMddHHmmss`, Beijing time. */
  readonly timeEnd?: string;
  readonly subOpenid?: string;
}

/** The only answer that stops WeChat's retries. */
export interface PayCallbackReply {
  readonly errcode: 0;
  readonly errmsg: 'OK';
}

export const PAY_CALLBACK_ACK: PayCallbackReply = { errcode: 0, errmsg: 'OK' };

// ---- admin (police-system integration) ----

export interface DriverRow {
  /** Key. */
  readonly idNumber: string;
  readonly name: string;
  /** One class or several written together (`C1`, `C1E`). */
  readonly licenceClass: string;
  readonly firstIssueDate: IsoDate;
  readonly validUntil: IsoDate;
  readonly status: LicenceStatus;
  readonly cyclePoints: number;
}

export interface VehicleRow {
  /** Key, with plateType. */
  readonly plate: string;
  readonly plateType: PlateType;
  readonly ownerIdNumber: string;
  readonly ownerName: string;
  readonly inspectionDue?: IsoDate;
}

export interface ViolationRow {
  /** Key. */
  readonly violationId: string;
  readonly plate: string;
  readonly plateType: PlateType;
  /** ISO 8601; parsed rows carry it as Asia/Shanghai `YYYY-MM-DDTHH:mm:ss+08:00`. */
  readonly occurredAt: string;
  readonly place: string;
  readonly behaviour: string;
  readonly fine: number;
  readonly points: number;
  readonly source: ViolationSource;
  readonly status: ViolationStatus;
  readonly disputed: boolean;
}

export interface ImportParams<Row> {
  readonly rows: readonly Row[];
}

export interface ImportRowError {
  /** 0-based index of the row in `rows`. */
  readonly row: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly field?: string;
}

/** What `parseEvent` makes of an import: the rows that passed, each with its index, and the ones that did not. */
export interface ParsedImport<Row> {
  readonly rows: readonly { readonly index: number; readonly row: Row }[];
  readonly errors: readonly ImportRowError[];
}

export interface ImportResult {
  readonly inserted: number;
  readonly updated: number;
  readonly errors: readonly ImportRowError[];
}

export interface ExportPaymentsParams {
  /** Inclusive, by payment date in Asia/Shanghai. */
  readonly from: IsoDate;
  readonly to: IsoDate;
}

export interface PaymentExportRow {
  readonly orderId: string;
  readonly outTradeNo: string;
  readonly transactionId: string | null;
  readonly decisionNo: string | null;
  /** What the order asked for (fen). */
  readonly amount: number;
  readonly status: PaymentStatus;
  readonly paidAt: string | null;
  /** What WeChat Pay confirms it collected (fen): differs from `amount` on an `amount_mismatch` order. */
  readonly paidFee?: number | null;
}

export interface ExportPaymentsResult {
  readonly payments: readonly PaymentExportRow[];
}

export interface RefundItem {
  readonly outTradeNo: string;
  readonly transactionId: string;
  readonly amount: number;
  readonly reason: string;
  readonly queuedAt: string;
}

export interface RefundQueueResult {
  readonly refunds: readonly RefundItem[];
}

// ---- guide / tow / insurance (city services, issue 8) ----

export interface GuideSection {
  readonly heading: string;
  readonly items: readonly string[];
}

export interface GuideSummary {
  readonly guideId: string;
  readonly title: string;
  readonly summary: string;
}

export interface GuideListResult {
  readonly guides: readonly GuideSummary[];
}

export interface GuideIdParams {
  readonly guideId: string;
}

export interface GuideDetailResult extends GuideSummary {
  readonly sections: readonly GuideSection[];
  /** Offices offering this service are where to go: the page links to the office list filtered by it. */
  readonly officeService?: OfficeService;
  /** When the police last corrected it. */
  readonly updatedOn: IsoDate;
}

export interface OfficesParams {
  /** GCJ-02, from wx.getLocation({ type: 'gcj02' }); both or neither. Without them offices come in name order. */
  readonly latitude?: number;
  readonly longitude?: number;
  /** Only offices offering this service. */
  readonly service?: OfficeService;
}

export interface OfficeItem {
  readonly officeId: string;
  readonly name: string;
  readonly address: string;
  /** GCJ-02, as wx.openLocation takes them. */
  readonly latitude: number;
  readonly longitude: number;
  readonly hours: string;
  readonly services: readonly OfficeService[];
  readonly phone?: string;
  /** Metres from the caller; null when no location was given. */
  readonly distance: number | null;
  /** `850 米`, `3.2 公里`; '' when no location was given. */
  readonly distanceText: string;
}

export interface OfficesResult {
  readonly offices: readonly OfficeItem[];
  readonly sortedBy: 'distance' | 'name';
}

export interface TowQueryParams {
  readonly plate: string;
}

/** A car of the caller's that the police towed and that is still at the yard. */
export interface TowView {
  readonly plate: string;
  readonly plateType: PlateType;
  readonly towedAt: string;
  readonly yardName: string;
  readonly yardAddress: string;
  readonly latitude: number;
  readonly longitude: number;
  /** Integer fen due at the yard. */
  readonly fee: number;
  readonly yardHours: string;
  readonly yardPhone: string;
}

export interface TowQueryResult {
  readonly tow: TowView;
}

export interface PolicyParams {
  readonly plate: string;
  readonly insurer: InsurerCode;
}

export interface PolicyItem {
  readonly policyNo: string;
  readonly type: PolicyType;
  readonly startDate: IsoDate;
  readonly endDate: IsoDate;
  readonly status: PolicyStatus;
  /** The insured vehicle as the insurer has it. */
  readonly plate: string;
  /** Masked (`LSV**********1234`); '' when the insurer sent none. */
  readonly vin: string;
  readonly model: string;
}

export interface PolicyResult {
  readonly insurer: InsurerCode;
  readonly insurerName: string;
  readonly plate: string;
  readonly policies: readonly PolicyItem[];
  /** The answer came from the local cloud's labelled insurer sandbox, not from the insurer. */
  readonly sandbox?: boolean;
}

export interface OfficeRow {
  /** Key. */
  readonly officeId: string;
  readonly name: string;
  readonly address: string;
  /** GCJ-02. */
  readonly latitude: number;
  readonly longitude: number;
  readonly hours: string;
  readonly services: readonly OfficeService[];
  readonly phone?: string;
  /** 'closed' hides the office from the list (an upsert cannot delete). Default 'open'. */
  readonly status: OfficeStatus;
}

export interface TowRow {
  /** Key. */
  readonly towId: string;
  readonly plate: string;
  readonly plateType: PlateType;
  /** ISO 8601; parsed rows carry it as Asia/Shanghai `YYYY-MM-DDTHH:mm:ss+08:00`. */
  readonly towedAt: string;
  readonly yardName: string;
  readonly yardAddress: string;
  /** The yard, GCJ-02. */
  readonly latitude: number;
  readonly longitude: number;
  /** Integer fen. */
  readonly fee: number;
  readonly yardHours: string;
  readonly yardPhone: string;
  readonly status: TowStatus;
}

export interface GuideRow {
  /** Key. */
  readonly guideId: string;
  readonly title: string;
  readonly summary: string;
  readonly sections: readonly GuideSection[];
  readonly officeService?: OfficeService;
  /** Position in the list (ascending). */
  readonly order: number;
  /** Default: the import day. */
  readonly updatedOn?: IsoDate;
}

// ---- move-car / facility fault reports (issue 8) ----

export interface MoveCarParams {
  /** The plate of the car in the way (any 桂A small car; its type follows from its shape). */
  readonly plate: string;
  /** Where the requester is, in their words; goes into the owner's message. */
  readonly place?: string;
}

/** A move-car request as its requester sees it: the outcome, never who the owner is. */
export interface MoveCarRequestView {
  readonly requestId: string;
  readonly plate: string;
  readonly place: string;
  readonly createdAt: string;
  readonly outcome: MoveCarOutcome;
  /** The owner's answer, once given (outcome `answered`). */
  readonly reply?: MoveCarReply;
  readonly replyText?: string;
  readonly answeredAt?: string;
}

export interface MoveCarListResult {
  readonly requests: readonly MoveCarRequestView[];
}

export interface MoveCarRequestIdParams {
  readonly requestId: string;
}

/** A request for one of the caller's cars, as the owner sees it: never who asked. */
export interface IncomingMoveCarItem {
  readonly requestId: string;
  readonly plate: string;
  readonly place: string;
  readonly createdAt: string;
  readonly reply?: MoveCarReply;
  readonly replyText?: string;
  readonly answeredAt?: string;
  /** Still within the answer window. */
  readonly answerable: boolean;
}

export interface IncomingMoveCarResult {
  readonly requests: readonly IncomingMoveCarItem[];
}

export interface AnswerMoveCarParams {
  readonly requestId: string;
  readonly reply: MoveCarReply;
}

/** A photo of the car in the way, uploaded into the caller's own folder (`fault.uploadTarget`'s `dir`). */
export interface RecognisePlateParams {
  readonly fileID: string;
}

/** The plate read off the photo, for the keyboard to show; the driver confirms it before anything is sent. */
export interface RecognisedPlate {
  readonly plate: string;
  readonly plateType: PlateType;
}

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

/** What the police see of a photo: also the fileID of the cloud's checked copy. */
export interface AdminFaultPhoto extends FaultPhoto {
  readonly fileID: string;
}

export interface FaultDetail extends FaultItem {
  readonly latitude: number;
  readonly longitude: number;
  readonly name: string;
  readonly address: string;
  readonly photos: readonly FaultPhoto[];
  readonly history: readonly FaultHistoryEntry[];
}

export interface ListFaultsParams {
  /** The reports in this status, oldest first: the police's work queue. */
  readonly status: FaultStatus;
  /** Default 50, at most 100. */
  readonly limit?: number;
}

/** What the police see: the report and who filed it, masked. */
export interface AdminFaultItem extends Omit<FaultDetail, 'photos'> {
  readonly photos: readonly AdminFaultPhoto[];
  readonly reporterName: string;
}

export interface AdminFaultListResult {
  readonly reports: readonly AdminFaultItem[];
}

export interface UpdateFaultParams {
  readonly reportId: string;
  readonly status: FaultStatus;
  /** Shown to the reporter; required when rejecting. */
  readonly note?: string;
}

// ---- the action table ----

/** One action: what the page sends, what `parseEvent` returns to the function, what comes back in `data`. */
export interface Action<Params, Result, Parsed = Params> {
  readonly params: Params;
  readonly parsed: Parsed;
  readonly result: Result;
}

export interface ActionMap {
  readonly user: {
    readonly register: Action<EmptyParams, RegisterResult>;
    readonly profile: Action<EmptyParams, ProfileResult>;
    readonly startFaceVerify: Action<StartFaceVerifyParams, VerifyIdResult>;
    readonly confirmFaceVerify: Action<ConfirmFaceVerifyParams, ConfirmFaceVerifyResult>;
    readonly points: Action<EmptyParams, PointsHistoryResult>;
  };
  readonly vehicle: {
    readonly list: Action<EmptyParams, VehicleListResult>;
    readonly bindOwn: Action<BindOwnParams, BindOwnResult>;
    readonly requestBinding: Action<RequestBindingParams, RequestBindingResult>;
    readonly listRequests: Action<EmptyParams, ListRequestsResult>;
    readonly startAuthorize: Action<RequestIdParams, VerifyIdResult>;
    readonly approve: Action<ApproveParams, ApproveResult>;
    readonly reject: Action<RequestIdParams, RejectResult>;
    readonly unbind: Action<UnbindParams, UnbindResult>;
    readonly revoke: Action<RevokeParams, RevokeResult>;
  };
  readonly violation: {
    readonly list: Action<ViolationListParams, ViolationListResult>;
    readonly process: Action<ProcessParams, ProcessResult>;
    readonly decision: Action<DecisionIdParams, DecisionResult>;
  };
  readonly payment: {
    readonly create: Action<DecisionIdParams, CreatePaymentResult>;
    readonly status: Action<OrderIdParams, PaymentStatusResult>;
    readonly list: Action<EmptyParams, PaymentListResult>;
  };
  readonly reminder: {
    readonly subscribe: Action<SubscribeParams, ReminderCredits>;
    readonly status: Action<EmptyParams, ReminderStatusResult>;
  };
  readonly certificate: {
    readonly issue: Action<EmptyParams, CertificateDetail>;
    readonly list: Action<EmptyParams, CertificateListResult>;
    readonly detail: Action<CertificateNumberParams, CertificateDetail>;
    readonly revoke: Action<CertificateNumberParams, CertificateItem>;
    readonly verify: Action<VerifyCertificateParams, CertificateVerification>;
  };
  // ---- guide / tow / insurance (issue 8) ----
  readonly guide: {
    readonly list: Action<EmptyParams, GuideListResult>;
    readonly detail: Action<GuideIdParams, GuideDetailResult>;
    readonly offices: Action<OfficesParams, OfficesResult>;
  };
  readonly tow: {
    readonly query: Action<TowQueryParams, TowQueryResult>;
  };
  readonly insurance: {
    readonly policy: Action<PolicyParams, PolicyResult>;
  };
  // ---- move-car / facility fault reports (issue 8) ----
  readonly moveCar: {
    readonly request: Action<MoveCarParams, MoveCarRequestView>;
    readonly mine: Action<EmptyParams, MoveCarListResult>;
    readonly status: Action<MoveCarRequestIdParams, MoveCarRequestView>;
    readonly incoming: Action<EmptyParams, IncomingMoveCarResult>;
    readonly answer: Action<AnswerMoveCarParams, IncomingMoveCarItem>;
    readonly recognisePlate: Action<RecognisePlateParams, RecognisedPlate>;
  };
  readonly fault: {
    readonly uploadTarget: Action<EmptyParams, FaultUploadTarget>;
    readonly submit: Action<SubmitFaultParams, FaultDetail>;
    readonly list: Action<EmptyParams, FaultListResult>;
    readonly detail: Action<FaultReportIdParams, FaultDetail>;
  };
  /** The event also carries `adminToken` (read it with `readAdminToken`, check it before parsing). */
  readonly admin: {
    readonly importDrivers: Action<ImportParams<DriverRow>, ImportResult, ParsedImport<DriverRow>>;
    readonly importVehicles: Action<ImportParams<VehicleRow>, ImportResult, ParsedImport<VehicleRow>>;
    readonly importViolations: Action<ImportParams<ViolationRow>, ImportResult, ParsedImport<ViolationRow>>;
    readonly exportPayments: Action<ExportPaymentsParams, ExportPaymentsResult>;
    readonly refundQueue: Action<EmptyParams, RefundQueueResult>;
    readonly importOffices: Action<ImportParams<OfficeRow>, ImportResult, ParsedImport<OfficeRow>>;
    readonly importTows: Action<ImportParams<TowRow>, ImportResult, ParsedImport<TowRow>>;
    readonly importGuides: Action<ImportParams<GuideRow>, ImportResult, ParsedImport<GuideRow>>;
    readonly listFaults: Action<ListFaultsParams, AdminFaultListResult>;
    readonly updateFault: Action<UpdateFaultParams, AdminFaultItem>;
  };
}

/** Functions called with `{ action, ...params }` (payCallback is not: WeChat sends its own event). */
export type FunctionName = keyof ActionMap;
export type ActionName<F extends FunctionName> = keyof ActionMap[F] & string;
export type ActionParams<F extends FunctionName, A extends ActionName<F>> =
  ActionMap[F][A] extends Action<infer P, unknown, unknown> ? P : never;
export type ActionResult<F extends FunctionName, A extends ActionName<F>> =
  ActionMap[F][A] extends Action<unknown, infer R, unknown> ? R : never;
export type ParsedParams<F extends FunctionName, A extends ActionName<F>> =
  ActionMap[F][A] extends Action<unknown, unknown, infer Q> ? Q : never;

/** The event as a page sends it. */
export type ActionEvent<F extends FunctionName, A extends ActionName<F>> = { readonly action: A } & ActionParams<F, A>;

/** What `parseEvent(fn, …)` returns: a union discriminated by `action`, so a function can `switch` on it. */
export type ParsedEvent<F extends FunctionName> = {
  [A in ActionName<F>]: { readonly action: A; readonly params: ParsedParams<F, A> };
}[ActionName<F>];

export const ACTIONS: { readonly [F in FunctionName]: readonly ActionName<F>[] } = {
  user: ['register', 'profile', 'startFaceVerify', 'confirmFaceVerify', 'points'],
  vehicle: [
    'list',
    'bindOwn',
    'requestBinding',
    'listRequests',
    'startAuthorize',
    'approve',
    'reject',
    'unbind',
    'revoke',
  ],
  violation: ['list', 'process', 'decision'],
  payment: ['create', 'status', 'list'],
  reminder: ['subscribe', 'status'],
  certificate: ['issue', 'list', 'detail', 'revoke', 'verify'],
  guide: ['list', 'detail', 'offices'],
  tow: ['query'],
  insurance: ['policy'],
  moveCar: ['request', 'mine', 'status', 'incoming', 'answer', 'recognisePlate'],
  fault: ['uploadTarget', 'submit', 'list', 'detail'],
  admin: [
    'importDrivers',
    'importVehicles',
    'importViolations',
    'exportPayments',
    'refundQueue',
    'importOffices',
    'importTows',
    'importGuides',
    'listFaults',
    'updateFault',
  ],
};

/** Largest import batch the admin function accepts. */
export const MAX_IMPORT_ROWS = 1000;
