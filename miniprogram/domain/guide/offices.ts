/** Police offices and the guides' ids: the services an office offers and its state. */

export const OFFICE_SERVICES = [
  'licence',
  'inspection',
  'vehicle',
  'violation',
  'dispute',
  'study',
  'accident',
] as const;

export type OfficeService = (typeof OFFICE_SERVICES)[number];

export const OFFICE_SERVICE_NAMES: Readonly<Record<OfficeService, string>> = {
  licence: '驾驶证业务',
  inspection: '机动车检验',
  vehicle: '机动车登记',
  violation: '违法处理',
  dispute: '违法异议',
  study: '记分学习',
  accident: '事故处理',
};

export const OFFICE_STATUSES = ['open', 'closed'] as const;

export type OfficeStatus = (typeof OFFICE_STATUSES)[number];

/** The guides the app links to by id (the violation list's dispute reason, the office list's filter). */
export const GUIDE_IDS = {
  renewal: 'licence-renewal',
  inspection: 'annual-inspection',
  dispute: 'violation-dispute',
  study: 'points-study',
} as const;
