/** How a report's status and type read on the fault pages. */
import { FAULT_STATUS_NAMES, FAULT_TYPE_NAMES, type FaultStatus, type FaultType } from '../../domain/fault/fault';

export type TagTheme = 'default' | 'primary' | 'warning' | 'success' | 'danger';

const STATUS_THEMES: Readonly<Record<FaultStatus, TagTheme>> = {
  submitted: 'primary',
  accepted: 'warning',
  fixed: 'success',
  rejected: 'danger',
};

export function statusTag(status: FaultStatus): { readonly statusName: string; readonly statusTheme: TagTheme } {
  return { statusName: FAULT_STATUS_NAMES[status], statusTheme: STATUS_THEMES[status] };
}

export function typeName(type: FaultType): string {
  return FAULT_TYPE_NAMES[type];
}

/** The place as the user picked it, or its coordinates when wx.getLocation gave only those. */
export function placeText(place: string, latitude?: number, longitude?: number): string {
  if (place !== '') return place;
  return latitude === undefined || longitude === undefined
    ? '当前位置'
    : `当前位置（${latitude.toFixed(5)}, ${longitude.toFixed(5)}）`;
}
