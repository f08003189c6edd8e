/** Every page's path, in one place (one subpackage per feature; see app.json). */
export const ROUTES = {
  home: '/pages/home/index/index',
  register: '/pages/account/register/index',
  vehicles: '/pages/vehicle/list/index',
  bindVehicle: '/pages/vehicle/bind/index',
  ownerRequests: '/pages/vehicle/requests/index',
  violations: '/pages/violation/list/index',
  violationDetail: '/pages/violation/detail/index',
  payConfirm: '/pages/payment/confirm/index',
  payResult: '/pages/payment/result/index',
  receipts: '/pages/payment/receipts/index',
  decision: '/pages/payment/decision/index',
  receipt: '/pages/payment/receipt/index',
  licence: '/pages/licence/index/index',
  reminders: '/pages/reminder/settings/index',
  certificates: '/pages/certificate/list/index',
  certificate: '/pages/certificate/detail/index',
  verifyCertificate: '/pages/certificate/verify/index',
  guides: '/pages/guide/list/index',
  guideDetail: '/pages/guide/detail/index',
  offices: '/pages/guide/offices/index',
  tow: '/pages/tow/query/index',
  insurance: '/pages/insurance/policy/index',
  moveCar: '/pages/move-car/request/index',
  moveCarIncoming: '/pages/move-car/incoming/index',
  faultReport: '/pages/fault/report/index',
  faults: '/pages/fault/list/index',
  faultDetail: '/pages/fault/detail/index',
  mine: '/pages/mine/index/index',
  privacy: '/pages/mine/privacy/index',
} as const;

export type Route = (typeof ROUTES)[keyof typeof ROUTES];

/** A page as a subscribe message links to it: the same path without the leading slash, optionally with a query. */
export function messagePage(route: Route, query = ''): string {
  return `${route.slice(1)}${query === '' ? '' : `?${query}`}`;
}
