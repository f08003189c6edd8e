/**
 * What a certificate says, as rendered text: shared by the driver's detail page, the employer's verify page and the
 * saved image, so all three always say the same thing.
 */
import {
  CERTIFICATE_STATUS_TEXT,
  type CertificateSnapshot,
  type CertificateStatus,
} from '../../domain/certificate/certificate';
import { formatYuan } from '../../domain/violation/fees';
import { isLicenceStatus, type LicenceStatus } from '../../domain/licence/licence';
import { formatDateTime } from '../../utils/format';
import type { CertificateItem } from '../../domain/certificate/contract';

const LICENCE_STATUS_TEXT: Readonly<Record<LicenceStatus, string>> = {
  valid: '正常',
  expired: '已过期',
  revoked: '已吊销',
  suspended: '暂扣',
};

export type StatusTheme = 'success' | 'warning' | 'danger';

export const STATUS_THEME: Readonly<Record<CertificateStatus, StatusTheme>> = {
  valid: 'success',
  expired: 'warning',
  revoked: 'danger',
};

/** What the status means to the person reading it (an employer, mostly). */
const STATUS_MEANING: Readonly<Record<CertificateStatus, string>> = {
  valid: '该证明真实有效，内容为签发时驾驶人的记录。',
  expired: '该证明已超过 30 日有效期，不能作为有效证明，请驾驶人重新申请。',
  revoked: '该证明已被驾驶人撤销，不能作为有效证明。',
};

export interface SnapshotRow {
  readonly label: string;
  readonly value: string;
}

export interface KindRow {
  readonly behaviour: string;
  readonly text: string;
}

export interface SnapshotView {
  readonly rows: readonly SnapshotRow[];
  /** `近 12 个月共 3 起` or that there were none. */
  readonly violations: string;
  readonly kinds: readonly KindRow[];
  /** Which records the certificate covers (ONLINE_RECORDS_NOTE); '' for no snapshot. */
  readonly note: string;
}

export interface CertificateHeader {
  readonly number: string;
  readonly status: string;
  readonly statusTheme: StatusTheme;
  readonly meaning: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
}

function licenceStatusText(status: string): string {
  return isLicenceStatus(status) ? LICENCE_STATUS_TEXT[status] : status;
}

/** Said under the violations wherever a certificate is shown: why their points may add up to less than the cycle's. */
const ONLINE_RECORDS_NOTE =
  '违法记录和未缴罚款仅含在本小程序处理的违法；本周期记分含在窗口、现场等其他渠道处理的记分。';

export function snapshotView(snapshot: CertificateSnapshot): SnapshotView {
  const unpaid =
    snapshot.unpaidCount === 0 ? '无' : `${snapshot.unpaidCount} 笔，共 ${formatYuan(snapshot.unpaidAmount)}`;
  // Shown only when there are some; certificates issued before the field existed have none to show.
  const other =
    snapshot.otherPoints !== undefined && snapshot.otherPoints > 0
      ? [{ label: '其中：其他渠道记分', value: `${snapshot.otherPoints} 分` }]
      : [];
  return {
    rows: [
      { label: '姓名', value: snapshot.name },
      { label: '身份证号', value: snapshot.idNumber },
      { label: '准驾车型', value: snapshot.licenceClass },
      { label: '驾驶证状态', value: licenceStatusText(snapshot.licenceStatus) },
      { label: '驾驶证有效期至', value: snapshot.licenceValidUntil },
      { label: '记分周期', value: `${snapshot.cycleStart} 至 ${snapshot.cycleEnd}` },
      { label: '本周期记分', value: `${snapshot.cyclePoints} 分` },
      ...other,
      { label: '未缴罚款', value: unpaid },
      { label: '记录截至', value: snapshot.asOf },
    ],
    violations: snapshot.violationCount === 0 ? '近 12 个月无违法记录' : `近 12 个月共 ${snapshot.violationCount} 起`,
    kinds: snapshot.violationsByKind.map((k) => ({
      behaviour: k.behaviour,
      text: `${k.count} 起 · 记 ${k.points} 分`,
    })),
    note: ONLINE_RECORDS_NOTE,
  };
}

export function certificateHeader(item: CertificateItem): CertificateHeader {
  return {
    number: item.number,
    status: CERTIFICATE_STATUS_TEXT[item.status],
    statusTheme: STATUS_THEME[item.status],
    meaning: STATUS_MEANING[item.status],
    issuedAt: formatDateTime(item.issuedAt),
    expiresAt: formatDateTime(item.expiresAt),
  };
}
