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
    }
  | { readonly kind: 'integration'; readonly keyId: string; readonly name: string }
  | { readonly kind: 'bootstrap' };

export interface ActionAccess {
  /** Officers holding any of these roles may call it. */
  readonly roles: readonly PoliceRole[];
  /** An integration key may call it (import and export actions only). */
  readonly integration: boolean;
}

export type AdminActionName = keyof AdminActions & string;

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
  }
}
