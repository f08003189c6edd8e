/**
 * Which violations may be processed online (docs/RULES.md). Every reason that applies is reported, not just the first,
 * so the page can tell the driver everything at once. Reason codes are stable: extend, never rename.
 */

import { type IsoDate } from '../core/dates';
import { DomainError, failure, success, type Result } from '../core/errors';
import { isValidFen, ONLINE_FINE_LIMIT_FEN } from './fees';
import { licenceValidity, mayDriveSmallCar, type LicenceStatus } from '../licence/licence';
import { FULL_MARKS, isAllowedPointValue } from '../licence/scoring-cycle';

/** The most points a single violation may carry to be processed online. */
const ONLINE_POINTS_LIMIT = 6;
/** The most violations one online batch (one decision) may cover. */
export const MAX_BATCH_SIZE = 20;

export const VIOLATION_SOURCES = ['camera', 'onsite'] as const;
export type ViolationSource = (typeof VIOLATION_SOURCES)[number];
export const VIOLATION_STATUSES = ['unprocessed', 'processed', 'paid'] as const;
export type ViolationStatus = (typeof VIOLATION_STATUSES)[number];

/** In this order in every `reasons[]`. */
export const ELIGIBILITY_REASONS = [
  'NOT_CAMERA',
  'DISPUTED',
  'ALREADY_PROCESSED',
  'FINE_OVER_LIMIT',
  'POINTS_OVER_LIMIT',
  'NO_LICENCE',
  'LICENCE_INVALID',
  'LICENCE_CLASS',
  'CYCLE_POINTS',
  'INVALID_RECORD',
] as const;

export type EligibilityReason = (typeof ELIGIBILITY_REASONS)[number];

export interface ReasonText {
  /** Why it cannot be processed online. */
  readonly message: string;
  /** What the driver should do instead. */
  readonly whatToDo: string;
}

export const ELIGIBILITY_REASON_TEXT: Readonly<Record<EligibilityReason, ReasonText>> = {
  NOT_CAMERA: {
    message: '该违法不是电子警察（非现场）抓拍记录。',
    whatToDo: '现场查处的违法由民警当场处理；如有疑问，请到交警窗口咨询。',
  },
  DISPUTED: {
    message: '您对该违法记录提出了异议。',
    whatToDo: '请本人到违法行为发生地的公安交管部门（交警大队）现场处理。',
  },
  ALREADY_PROCESSED: {
    message: '该违法已经处理。',
    whatToDo: '无需重复处理；如尚未缴款，请在“缴款”中缴纳罚款。',
  },
  FINE_OVER_LIMIT: {
    message: '罚款超过 200 元，不能在网上处理。',
    whatToDo: '请携带驾驶证、行驶证到交警窗口处理。',
  },
  POINTS_OVER_LIMIT: {
    message: '该违法记分超过 6 分，不能在网上处理。',
    whatToDo: '请携带驾驶证、行驶证到交警窗口处理。',
  },
  NO_LICENCE: {
    message: '未查询到您名下的驾驶证。',
    whatToDo: '请核对实名信息，或到车管所、交警窗口处理。',
  },
  LICENCE_INVALID: {
    message: '您的驾驶证已过期、被吊销或处于暂扣状态。',
    whatToDo: '请先到车管所办理驾驶证业务，或由持有有效驾驶证的驾驶人处理。',
  },
  LICENCE_CLASS: {
    message: '您的准驾车型不能驾驶小型汽车。',
    whatToDo: '请由持有 C1、C2 或更高准驾车型驾驶证的驾驶人处理，或到交警窗口处理。',
  },
  CYCLE_POINTS: {
    message: '处理后您本记分周期的累计记分将达到 12 分。',
    whatToDo: '不能在网上处理，请到交警窗口处理。',
  },
  INVALID_RECORD: {
    message: '该违法记录的罚款或记分信息有误。',
    whatToDo: '请到交警窗口核实处理。',
  },
};

/** What the rules need to know about one violation. */
export interface ViolationFacts {
  readonly id: string;
  readonly source: ViolationSource;
  readonly status: ViolationStatus;
  readonly disputed: boolean;
  /** Integer fen. */
  readonly fine: number;
  readonly points: number;
}

/** What the rules need to know about the processor's licence (null: none linked to the ID number). */
export interface ProcessorLicence {
  readonly class: string;
  readonly status: LicenceStatus;
  readonly validUntil: IsoDate;
  /** Points in the current scoring cycle, carried-over points included. */
  readonly cyclePoints: number;
}

export interface Eligibility {
  readonly processable: boolean;
  readonly reasons: readonly EligibilityReason[];
}

function isValidCyclePoints(points: number): boolean {
  return Number.isSafeInteger(points) && points >= 0;
}

/** Reasons that depend on the violation alone (not on who processes it). */
function violationReasons(violation: ViolationFacts): Set<EligibilityReason> {
  const reasons = new Set<EligibilityReason>();
  if (violation.source !== 'camera') reasons.add('NOT_CAMERA');
  // A record without the flag counts as disputed: only a known undisputed violation is processed online.
  if ((violation.disputed as boolean | undefined) !== false) reasons.add('DISPUTED');
  if (violation.status !== 'unprocessed') reasons.add('ALREADY_PROCESSED');
  if (!isValidFen(violation.fine) || !isAllowedPointValue(violation.points)) reasons.add('INVALID_RECORD');
  if (isValidFen(violation.fine) && violation.fine > ONLINE_FINE_LIMIT_FEN) reasons.add('FINE_OVER_LIMIT');
  if (isAllowedPointValue(violation.points) && violation.points > ONLINE_POINTS_LIMIT) reasons.add('POINTS_OVER_LIMIT');
  return reasons;
}

/** Reasons that depend on the processor's licence; `points` is what processing would add to the cycle. */
function licenceReasons(licence: ProcessorLicence | null, points: number, today: IsoDate): Set<EligibilityReason> {
  const reasons = new Set<EligibilityReason>();
  if (licence === null) {
    reasons.add('NO_LICENCE');
    return reasons;
  }
  if (!licenceValidity(licence, today).valid) reasons.add('LICENCE_INVALID');
  if (!mayDriveSmallCar(licence.class)) reasons.add('LICENCE_CLASS');
  // unknown cycle points fail closed: nothing proves the driver stays below 12
  if (!isValidCyclePoints(licence.cyclePoints) || licence.cyclePoints + points >= FULL_MARKS)
    reasons.add('CYCLE_POINTS');
  return reasons;
}

function ordered(reasons: Set<EligibilityReason>): EligibilityReason[] {
  return ELIGIBILITY_REASONS.filter((r) => reasons.has(r));
}

/** Eligibility of one violation processed alone by the holder of `licence` on `today`. */
export function violationEligibility(
  violation: ViolationFacts,
  licence: ProcessorLicence | null,
  today: IsoDate,
): Eligibility {
  const reasons = violationReasons(violation);
  const points = isAllowedPointValue(violation.points) ? violation.points : 0;
  licenceReasons(licence, points, today).forEach((r) => reasons.add(r));
  const list = ordered(reasons);
  return { processable: list.length === 0, reasons: list };
}

export function reasonTexts(reasons: readonly EligibilityReason[]): ReasonText[] {
  return reasons.map((r) => ELIGIBILITY_REASON_TEXT[r]);
}

/**
 * The shape of a selection of violation ids: 1–20, no duplicates. Returns the error instead of throwing so the
 * event parser can name the field.
 */
export function checkBatchSelection(ids: readonly string[]): DomainError | null {
  if (ids.length === 0) {
    return new DomainError('INVALID_ARGUMENT', '请至少选择一条违法记录。', { field: 'violationIds' });
  }
  if (ids.length > MAX_BATCH_SIZE) {
    return new DomainError('INVALID_ARGUMENT', `一次最多处理 ${MAX_BATCH_SIZE} 条违法记录。`, {
      field: 'violationIds',
      limit: MAX_BATCH_SIZE,
    });
  }
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i += 1) {
    const id = ids[i] ?? '';
    if (seen.has(id)) {
      return new DomainError('INVALID_ARGUMENT', '所选违法记录有重复。', { field: `violationIds[${i}]` });
    }
    seen.add(id);
  }
  return null;
}

export interface BatchSummary {
  readonly violationIds: readonly string[];
  /** Sum of the fines, integer fen. */
  readonly totalFine: number;
  /** Sum of the chosen violations' points. */
  readonly batchPoints: number;
  /** Cycle points before processing. */
  readonly currentPoints: number;
  /** Cycle points after processing (always < 12 when accepted). */
  readonly totalPoints: number;
}

/**
 * A batch is processed only if every chosen violation is processable on its own (except for the cycle-points
 * reason, which the batch total decides) AND current points + all their points < 12; otherwise nothing is processed.
 * Failures: INVALID_ARGUMENT (empty, duplicates, over 20), NOT_PROCESSABLE (with every failing violation and all its
 * reasons), POINTS_LIMIT (with the totals).
 */
export function evaluateBatch(
  violations: readonly ViolationFacts[],
  licence: ProcessorLicence | null,
  today: IsoDate,
): Result<BatchSummary> {
  const selectionError = checkBatchSelection(violations.map((v) => v.id));
  if (selectionError !== null) return failure(selectionError);

  const failing: { id: string; reasons: EligibilityReason[] }[] = [];
  let blockedOtherThanPoints = false;
  for (const violation of violations) {
    const { reasons } = violationEligibility(violation, licence, today);
    if (reasons.length > 0) failing.push({ id: violation.id, reasons: [...reasons] });
    if (reasons.some((r) => r !== 'CYCLE_POINTS')) blockedOtherThanPoints = true;
  }
  if (blockedOtherThanPoints) {
    // with a single failing violation, its main reason (not the points one) is the message
    const main = failing.length === 1 ? failing[0]?.reasons.find((r) => r !== 'CYCLE_POINTS') : undefined;
    const message =
      main === undefined
        ? undefined
        : `${ELIGIBILITY_REASON_TEXT[main].message}${ELIGIBILITY_REASON_TEXT[main].whatToDo}`;
    return failure(
      new DomainError('NOT_PROCESSABLE', message, {
        violations: failing,
        reasons: ordered(new Set(failing.flatMap((f) => f.reasons))),
      }),
    );
  }

  // licence is non-null here: a null licence adds NO_LICENCE, which blocks above
  const currentPoints = licence === null ? 0 : licence.cyclePoints;
  const batchPoints = violations.reduce((sum, v) => sum + v.points, 0);
  const totalFine = violations.reduce((sum, v) => sum + v.fine, 0);
  const totalPoints = currentPoints + batchPoints;
  if (!isValidCyclePoints(currentPoints) || totalPoints >= FULL_MARKS) {
    return failure(
      new DomainError(
        'POINTS_LIMIT',
        `本记分周期已记 ${currentPoints} 分，所选违法共 ${batchPoints} 分，合计 ${totalPoints} 分，达到 12 分，不能在网上处理，请到交警窗口办理。`,
        { currentPoints, batchPoints, totalPoints, limit: FULL_MARKS, reasons: ['CYCLE_POINTS'] },
      ),
    );
  }
  return success({ violationIds: violations.map((v) => v.id), totalFine, batchPoints, currentPoints, totalPoints });
}

/** evaluateBatch for use cases that throw. */
export function requireBatchProcessable(
  violations: readonly ViolationFacts[],
  licence: ProcessorLicence | null,
  today: IsoDate,
): BatchSummary {
  const result = evaluateBatch(violations, licence, today);
  if (!result.ok) throw result.error;
  return result.value;
}
