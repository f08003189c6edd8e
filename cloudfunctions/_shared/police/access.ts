/**
 * Who acts on the police side and what each role may do. Every `admin` action names the roles that may call it and
 * whether an integration key (the police system pushing registry rows) may; the function checks it on every call.
 */
import type { AdminActions } from './contract';

export const POLICE_ROLES = ['dataImport', 'finance', 'faultHandling', 'audit', 'admin'] as const;
export type PoliceRole = (typeof POLICE_ROLES)[number];

export const POLICE_ROLE_LABELS: Readonly<Record<PoliceRole, string>> = {
  dataImport: '数据导入',
  finance: '财务',
  faultHandling: '设施报障处理',
  audit: '审计',
  admin: '管理员',
};

/** The one acting on a police call: a signed-in officer, an integration key, or the deployer's bootstrap secret. */
export type Actor =
  | {
      readonly kind: 'officer';
      readonly officerId: string;
      readonly login: string;
      readonly roles: readonly PoliceRole[];
      /** The officer's display name, for the audit trail. */
      readonly name?: string;
    }
  | { readonly kind: 'integration'; readonly keyId: string; readonly name: string }
  | { readonly kind: 'bootstrap' }
  /** Someone signing in: no credential yet. */
  | { readonly kind: 'anonymous' };

export interface ActionAccess {
  /** Officers holding any of these roles may call it. */
  readonly roles: readonly PoliceRole[];
  /** An integration key may call it (import and export actions only). */
  readonly integration: boolean;
  /**
   * Reached without an officer credential: `signIn` by anyone (it checks the password itself), `bootstrap` with the
   * deployer's ADMIN_TOKEN, `enrolment` only with an enrolment session (which opens nothing else). Absent: a session or key is required, and an empty `roles` opens it to every officer.
   */
  readonly entry?: 'signIn' | 'bootstrap' | 'enrolment';
}

export type AdminActionName = Extract<keyof AdminActions, string>;

export const ACTION_ACCESS = {
  importDrivers: { roles: ['dataImport'], integration: true },
  importVehicles: { roles: ['dataImport'], integration: true },
  importViolations: { roles: ['dataImport'], integration: true },
  importOffices: { roles: ['dataImport'], integration: true },
  importTows: { roles: ['dataImport'], integration: true },
  importGuides: { roles: ['dataImport'], integration: true },
  exportPayments: { roles: ['finance'], integration: false },
  refundQueue: { roles: ['finance'], integration: false },
  listFaults: { roles: ['faultHandling'], integration: false },
  updateFault: { roles: ['faultHandling'], integration: false },
  exportDecisions: { roles: ['dataImport'], integration: true },
  listRefunds: { roles: ['finance'], integration: false },
  requestRefund: { roles: ['finance'], integration: false },
  approveRefund: { roles: ['finance'], integration: false },
  retryRefund: { roles: ['finance'], integration: false },
  syncRefund: { roles: ['finance'], integration: false },
  revealFaultReporter: { roles: ['faultHandling'], integration: false },
  signIn: { roles: [], integration: false, entry: 'signIn' },
  bootstrapOfficer: { roles: [], integration: false, entry: 'bootstrap' },
  signOut: { roles: [], integration: false },
  me: { roles: [], integration: false },
  changePassword: { roles: [], integration: false },
  createOfficer: { roles: ['admin'], integration: false },
  updateOfficer: { roles: ['admin'], integration: false },
  unlockOfficer: { roles: ['admin'], integration: false },
  resetOfficerPassword: { roles: ['admin'], integration: false },
  listOfficers: { roles: ['admin'], integration: false },
  createIntegrationKey: { roles: ['admin'], integration: false },
  rotateIntegrationKey: { roles: ['admin'], integration: false },
  revokeIntegrationKey: { roles: ['admin'], integration: false },
  listIntegrationKeys: { roles: ['admin'], integration: false },
  readAudit: { roles: ['audit'], integration: false },
  resetOfficerTotp: { roles: ['admin'], integration: false },
  startEnrolment: { roles: [], integration: false, entry: 'enrolment' },
  completeEnrolment: { roles: [], integration: false, entry: 'enrolment' },
} as const satisfies Record<AdminActionName, ActionAccess>;

/** How an actor is named in the audit log. */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'officer':
      return `officer:${actor.officerId}`;
    case 'integration':
      return `integration:${actor.keyId}`;
    case 'bootstrap':
      return 'bootstrap';
    case 'anonymous':
      return 'anonymous';
  }
}
