/** The licence contract: the licence as the driver sees it, and the points history (`user.points`). */

import type { ProfileResult } from '../account/contract';
import type { IsoDate } from '../core/dates';
import type { Action, EmptyParams } from '../core/envelope';
import type { LicenceStatus } from './licence';

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

/** The licence page in one answer: the profile, and the cycle's history when a licence is linked (else null). */
export interface LicenceScreenResult {
  readonly profile: ProfileResult;
  readonly history: PointsHistoryResult | null;
}

/** The licence actions of the `user` function. */
export interface LicenceActions {
  readonly points: Action<EmptyParams, PointsHistoryResult>;
  readonly licence: Action<EmptyParams, LicenceScreenResult>;
}
