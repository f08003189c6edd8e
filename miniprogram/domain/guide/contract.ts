/** The guide contract (`guide` function): how-to guides and the police offices by distance. */

import type { IsoDate } from '../core/dates';
import type { Action, EmptyParams } from '../core/envelope';
import type { OfficeService } from './offices';

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

/** The `guide` function's actions. */
export interface GuideActions {
  readonly list: Action<EmptyParams, GuideListResult>;
  readonly detail: Action<GuideIdParams, GuideDetailResult>;
  readonly offices: Action<OfficesParams, OfficesResult>;
}
