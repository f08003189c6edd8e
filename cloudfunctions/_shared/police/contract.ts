/** The police side's contract (`admin` function): registry and city imports, the payments export, refunds, fault handling. */

import type { IsoDate } from '../../../miniprogram/domain/core/dates';
import type { Action, EmptyParams } from '../../../miniprogram/domain/core/envelope';
import type { ErrorCode } from '../../../miniprogram/domain/core/errors';
import type { FaultPhoto, FaultDetail } from '../../../miniprogram/domain/fault/contract';
import type { FaultHistoryEntry, FaultStatus, FaultType } from '../../../miniprogram/domain/fault/fault';
import type { FaultDistrict } from '../../../miniprogram/domain/fault/districts';
import type { GuideSection } from '../../../miniprogram/domain/guide/contract';
import type { OfficeService, OfficeStatus } from '../../../miniprogram/domain/guide/offices';
import type { LicenceStatus } from '../../../miniprogram/domain/licence/licence';
import type { PaymentStatus } from '../../../miniprogram/domain/payment/contract';
import type { TowView } from '../../../miniprogram/domain/tow/contract';
import type { TowStatus } from '../../../miniprogram/domain/tow/tows';
import type { PlateType } from '../../../miniprogram/domain/vehicle/plate';
import type { ViolationSource, ViolationStatus } from '../../../miniprogram/domain/violation/eligibility';
import type {
  ListRefundsParams,
  ListRefundsResult,
  RefundIdParams,
  RefundRow,
  RequestRefundParams,
} from '../payment/refunds/contract';
import type { RefundStatus } from '../payment/refunds/rules';
import type { OfficerActions } from './officers/contract';

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
  /**
   * The watermark, an instant (parsed rows carry it as Asia/Shanghai ISO to the millisecond): `cyclePoints` include
   * every online decision decided up to and including then. Absent: they include none.
   */
  readonly onlinePointsThrough?: string;
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
  /** 违法代码, 4–5 digits (e.g. `1352`). */
  readonly code?: string;
  /** 法律依据: the article the behaviour breaks. */
  readonly lawBasis?: string;
  /** The camera's evidence photos already in cloud storage (fileIDs), at most MAX_EVIDENCE_PHOTOS. */
  readonly photos?: readonly string[];
  /** When the bank took the fine (status `paid` only); parsed rows carry it as Asia/Shanghai ISO. */
  readonly paidAt?: string;
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
  /** The unit the money was paid to, as the driver's receipt names it. */
  readonly collectingUnit: string;
  /** Where the payment's refund stands (one per payment, keyed by `outTradeNo`); null: none was asked for. */
  readonly refundStatus: RefundStatus | null;
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

/** A tow as the police send it: what the owner is shown (`towedAt` parsed to Asia/Shanghai), its key and state. */
export interface TowRow extends TowView {
  /** Key. */
  readonly towId: string;
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

/** What the police see of a photo: also the fileID of the cloud's checked copy. */
export interface AdminFaultPhoto extends FaultPhoto {
  readonly fileID: string;
}

export interface ListFaultsParams {
  /** The reports in this status (absent: every status), oldest first: the police's work queue. */
  readonly status?: FaultStatus;
  readonly type?: FaultType;
  readonly district?: FaultDistrict;
  /** Filed on these Asia/Shanghai days, both included (either may be open). */
  readonly from?: IsoDate;
  readonly to?: IsoDate;
  /** By filing time: `asc` (default, oldest first) or `desc`. */
  readonly order?: 'asc' | 'desc';
  /** Reports to skip (a page's start), at most MAX_FAULT_OFFSET. */
  readonly offset?: number;
  /** Default 50, at most 100. */
  readonly limit?: number;
}

/** One step of a report's history as the police see it: also the officer who made it (null: the reporter's filing). */
export interface AdminFaultHistoryEntry extends FaultHistoryEntry {
  readonly officer: { readonly login: string; readonly name: string } | null;
}

/** What the police see: the report and who filed it, masked. */
export interface AdminFaultItem extends Omit<FaultDetail, 'photos' | 'history'> {
  readonly photos: readonly AdminFaultPhoto[];
  readonly reporterName: string;
  readonly district: FaultDistrict;
  readonly history: readonly AdminFaultHistoryEntry[];
}

export interface AdminFaultListResult {
  readonly reports: readonly AdminFaultItem[];
  /** How many reports match the filters (all pages). */
  readonly total: number;
}

export interface UpdateFaultParams {
  readonly reportId: string;
  readonly status: FaultStatus;
  /** Shown to the reporter; required when rejecting. */
  readonly note?: string;
}

export interface ExportDecisionsParams {
  /** The `nextCursor` of the previous page; absent or empty: from the first decision. */
  readonly after?: string;
  /** Decisions per page: default 100, at most MAX_EXPORT_DECISIONS. */
  readonly limit?: number;
}

export interface DecisionExportViolation {
  readonly id: string;
  readonly plate: string;
  readonly occurredAt: string;
  /** 违法代码; null when the registry sent none. */
  readonly code: string | null;
  readonly behaviour: string;
  readonly points: number;
  readonly fine: number;
}

/** One online decision as it stands now; the police system upserts it by `decisionNo`. */
export interface DecisionExportRow {
  readonly decisionNo: string;
  /** Full ID number and name: the registry files the points under them (an integration-only, audited export). */
  readonly person: { readonly idNumber: string; readonly name: string };
  readonly violations: readonly DecisionExportViolation[];
  readonly points: number;
  /** Total fine, fen. */
  readonly fine: number;
  /** The late surcharge the payment included (fen); null while unpaid or when paid at a bank. */
  readonly surchargePaid: number | null;
  /** Asia/Shanghai ISO to the millisecond: what a drivers row's `onlinePointsThrough` is compared with. */
  readonly decidedAt: string;
  readonly paidAt: string | null;
  readonly paidVia: 'wechat' | 'registry' | null;
  readonly status: 'unpaid' | 'paid';
}

export interface ExportDecisionsResult {
  readonly decisions: readonly DecisionExportRow[];
  /** Pass as `after` next time (also when this page was empty: it is where to resume). */
  readonly nextCursor: string;
  /** More decisions are ready now: ask again at once. */
  readonly hasMore: boolean;
}

/** Largest page of the decisions export. */
export const MAX_EXPORT_DECISIONS = 200;

export interface RevealFaultReporterParams {
  readonly reportId: string;
}

/** The reporter's full name, for a fault that needs a call back; every reveal is audited. */
export interface RevealFaultReporterResult {
  readonly reportId: string;
  readonly reporterName: string;
}

/** Most evidence photos one violation carries (the camera's usual three shots). */
export const MAX_EVIDENCE_PHOTOS = 3;

/** Largest import batch the admin function accepts. */
export const MAX_IMPORT_ROWS = 1000;

/**
 * The `admin` function's actions; the event also carries the caller's credential (`credential`, or the HTTP bearer),
 * checked before anything is parsed (police/officers/authorise.ts).
 */
export interface AdminActions extends OfficerActions {
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
  readonly exportDecisions: Action<ExportDecisionsParams, ExportDecisionsResult>;
  readonly listRefunds: Action<ListRefundsParams, ListRefundsResult>;
  readonly requestRefund: Action<RequestRefundParams, RefundRow>;
  readonly approveRefund: Action<RefundIdParams, RefundRow>;
  readonly retryRefund: Action<RefundIdParams, RefundRow>;
  readonly syncRefund: Action<RefundIdParams, RefundRow>;
  readonly revealFaultReporter: Action<RevealFaultReporterParams, RevealFaultReporterResult>;
}
