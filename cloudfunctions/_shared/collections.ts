/** Collection names, in one place (cloudfunctions/_shared/db/indexes.json declares their indexes). */
export const COLLECTIONS = {
  /** the police registries, filled by the admin imports */
  drivers: 'drivers',
  vehicles: 'vehicles',
  violations: 'violations',
  /** the app's own records */
  users: 'users',
  people: 'people',
  verifications: 'verifications',
  vehicleDrivers: 'vehicleDrivers',
  bindingRequests: 'bindingRequests',
  bindingRequestLocks: 'bindingRequestLocks',
  counters: 'counters',
  payNotifications: 'payNotifications',
  decisions: 'decisions',
  orders: 'orders',
  refunds: 'refunds',
  audit: 'audit',
  reminderSubscriptions: 'reminderSubscriptions',
  reminderLog: 'reminderLog',
  reminderSweeps: 'reminderSweeps',
  certificates: 'certificates',
  certificateAttempts: 'certificateAttempts',
  verifyCallers: 'verifyCallers',
  /** per-person, per-day counters (daily-quota.ts): certificates issued, fault reports submitted */
  dailyQuotas: 'dailyQuotas',
  offices: 'offices',
  guides: 'guides',
  tows: 'tows',
  moveCarRequests: 'moveCarRequests',
  moveCarLimits: 'moveCarLimits',
  faultReports: 'faultReports',
  /** the police side's accounts: officers by login, sessions by token hash, integration keys, sign-in counters */
  officers: 'officers',
  officerSessions: 'officerSessions',
  integrationKeys: 'integrationKeys',
  signInAttempts: 'signInAttempts',
} as const;

/** Registry keys as document ids: upserts are idempotent and lookups need no index. */
export function vehicleDocId(plateType: string, plate: string): string {
  return `${plateType}_${plate}`;
}
