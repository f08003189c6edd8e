/**
 * The home page's to-do list as rows: what the server said needs doing, worded and linked to the page that does it.
 * Nothing here decides whether something is due; the server's summary did.
 */
import type { HomeResult, HomeSection } from '../../../domain/home/contract';
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
  todos.inspections.forEach((c, i) =>
    rows.push({
      key: `inspection-${String(i)}`,
      title: '车辆年检即将到期',
      note: c.plate,
      description: `检验有效期至 ${c.inspectionDue}`,
      detail: '',
      badge: '',
      tone: 'default',
      url: ROUTES.vehicles,
    }),
  );
  if (todos.renewal !== null)
    rows.push({
      key: 'renewal',
      title: '驾驶证即将到期',
      note: '',
      description: `有效期至 ${todos.renewal.validUntil}，请按时换证`,
      detail: '',
      badge: '',
      tone: 'default',
      url: ROUTES.licence,
    });
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
