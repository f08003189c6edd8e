/**
 * The home page's to-do list as rows: what the server said needs doing, worded and linked to the page that does it.
 * Nothing here decides whether something is due; the server's summary did.
 */
import type { HomeResult, HomeSection } from '../../../domain/home/contract';
import { GUIDE_IDS } from '../../../domain/guide/offices';
import { ROUTES } from '../../../domain/routes';
import { formatYuan, SURCHARGE_PERCENT_PER_DAY } from '../../../domain/violation/fees';
import { formatDateTime, pageUrl } from '../../../utils/format';

export interface TodoRow {
  /** Stable: the row's element id is `todo-<key>`. */
  readonly key: string;
  readonly title: string;
  /** Emphasised on the right: an amount, a count, a plate. */
  readonly note: string;
  readonly description: string;
  /** A second line: the deadline, when there is one. */
  readonly detail: string;
  /** Beside the second line, never wrapped: days left or overdue. */
  readonly badge: string;
  /** 'danger' for what costs money by the day or blocks the car. */
  readonly tone: 'danger' | 'warning' | 'default';
  readonly url: string;
}

/** How many days are left or overdue, as a driver reads it. */
function daysText(daysLeft: number): string {
  if (daysLeft > 0) return `还剩 ${String(daysLeft)} 天`;
  if (daysLeft === 0) return '今天截止';
  return `已逾期 ${String(-daysLeft)} 天 · 每日加处 ${String(SURCHARGE_PERCENT_PER_DAY)}%`;
}

/** Days to or past a date that costs no money by the day: `还剩 3 天`, `今天到期`, `已逾期 2 天` / `已过期 2 天`. */
function dateBadge(daysLeft: number, past: '逾期' | '过期'): string {
  if (daysLeft > 0) return `还剩 ${String(daysLeft)} 天`;
  if (daysLeft === 0) return '今天到期';
  return `已${past} ${String(-daysLeft)} 天`;
}

const UNAVAILABLE_TEXT: Readonly<Record<Exclude<HomeSection, 'cars'>, string>> = {
  violations: '违法和缴款',
  tows: '拖车',
  requests: '车主授权',
};

export function todoRows(summary: HomeResult): TodoRow[] {
  const { todos, unavailable } = summary;
  const rows: TodoRow[] = [];
  for (const d of todos.unpaid) {
    const cars = d.plates.length > 1 ? `${d.plates[0] ?? ''} 等 ${String(d.plates.length)} 辆车` : (d.plates[0] ?? '');
    rows.push({
      key: `unpaid-${d.decisionId}`,
      title: '待缴罚款',
      note: formatYuan(d.amount),
      description: `${cars} · ${String(d.violationCount)} 起违法`,
      detail: `缴款期限 ${d.dueDate}`,
      badge: daysText(d.daysLeft),
      tone: d.daysLeft < 0 ? 'danger' : 'warning',
      url: pageUrl(ROUTES.decision, { decisionId: d.decisionId }),
    });
  }
  if (todos.processable.count > 0)
    rows.push({
      key: 'violations',
      title: '可网上处理的违法',
      note: `${String(todos.processable.count)} 条`,
      description: `罚款共 ${formatYuan(todos.processable.amount)}，确认后即可网上缴纳`,
      detail: '',
      badge: '',
      tone: 'default',
      url: ROUTES.violations,
    });
  // keys by position: plates are Chinese, and an element id should stay ASCII
  todos.tows.forEach((t, i) =>
    rows.push({
      key: `tow-${String(i)}`,
      title: '车辆已被拖移',
      note: t.plate,
      description: `停放于${t.yardName}`,
      detail: `${formatDateTime(t.towedAt)} 被拖移`,
      badge: '',
      tone: 'danger',
      url: ROUTES.tow,
    }),
  );
  todos.inspections.forEach((c, i) => {
    const overdue = c.state === 'overdue';
    rows.push({
      key: `inspection-${String(i)}`,
      title: overdue ? '车辆年检已逾期' : '车辆年检即将到期',
      note: c.plate,
      description: overdue
        ? '逾期未检验的车辆不得上路行驶，请尽快到机动车检测站检验'
        : '请在有效期内到机动车检测站检验或申领检验标志',
      detail: `检验有效期至 ${c.inspectionDue}`,
      badge: dateBadge(c.daysLeft, '逾期'),
      tone: overdue ? 'danger' : 'default',
      url: pageUrl(ROUTES.guideDetail, { guideId: GUIDE_IDS.inspection }),
    });
  });
  if (todos.renewal !== null) {
    const expired = todos.renewal.state === 'overdue';
    rows.push({
      key: 'renewal',
      title: expired ? '驾驶证已过期' : '驾驶证即将到期',
      note: '',
      description: expired
        ? '过期的驾驶证不能驾驶机动车，请尽快到车管所或通过交管12123办理换证'
        : '请在有效期满前到车管所或通过交管12123申请换证',
      detail: `有效期至 ${todos.renewal.validUntil}`,
      // the registry may call a licence expired before its date: then no countdown
      badge: expired && todos.renewal.daysLeft >= 0 ? '' : dateBadge(todos.renewal.daysLeft, '过期'),
      tone: expired ? 'danger' : 'default',
      url: pageUrl(ROUTES.guideDetail, { guideId: GUIDE_IDS.renewal }),
    });
  }
  if (todos.ownerRequests > 0)
    rows.push({
      key: 'requests',
      title: '车主授权待确认',
      note: `${String(todos.ownerRequests)} 条`,
      description: '有人申请驾驶您的车辆，等您确认',
      detail: '',
      badge: '',
      tone: 'default',
      url: ROUTES.ownerRequests,
    });
  const missing = unavailable.flatMap((s) => (s === 'cars' ? [] : [UNAVAILABLE_TEXT[s]]));
  if (missing.length > 0)
    rows.push({
      key: 'unavailable',
      title: '部分信息暂时无法获取',
      note: '',
      description: `${missing.join('、')}信息暂时无法获取，请点此重试`,
      detail: '',
      badge: '',
      tone: 'default',
      url: '',
    });
  return rows;
}
