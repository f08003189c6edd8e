/** The console's screens and who sees them: a screen shows when the officer holds a role its main action allows. */
import { ACTION_ACCESS, type PoliceRole } from '../../cloudfunctions/_shared/police/access';

export type ScreenId = 'imports' | 'refunds' | 'faults' | 'officers' | 'account' | 'payments' | 'audit';

export interface Screen {
  readonly id: ScreenId;
  readonly label: string;
  /** The action whose roles open the screen; null: every signed-in officer. */
  readonly action: keyof typeof ACTION_ACCESS | null;
}

const SCREENS: readonly Screen[] = [
  { id: 'imports', label: '数据导入', action: 'importDrivers' },
  { id: 'refunds', label: '退款审批', action: 'listRefunds' },
  { id: 'faults', label: '设施报障', action: 'listFaults' },
  { id: 'payments', label: '缴款对账', action: 'exportPayments' },
  { id: 'audit', label: '审计日志', action: 'readAudit' },
  { id: 'officers', label: '人员与接入', action: 'listOfficers' },
  { id: 'account', label: '账号安全', action: null },
];

export function screensFor(roles: readonly PoliceRole[]): Screen[] {
  return SCREENS.filter((s) => {
    if (s.action === null) return true;
    const allowed: readonly PoliceRole[] = ACTION_ACCESS[s.action].roles;
    return allowed.some((role) => roles.includes(role));
  });
}
