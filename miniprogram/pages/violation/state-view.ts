// What a violation's one state shows on a card of the list and on the detail page: the tag, the reasons, the decision
// with today's amount and deadline, or when it was settled. Both pages render the same view of the cloud's state.
import { formatYuan } from '../../domain/violation/fees';
import type { EligibilityReason } from '../../domain/violation/eligibility';
import type { ViolationState } from '../../domain/violation/state';
import { formatDateTime } from '../../utils/format';

/** What one card shows of its state; empty strings are not rendered. */
export interface StateView {
  kind: ViolationState['kind'];
  tag: string;
  tagTheme: 'success' | 'warning' | 'danger' | 'default';
  reasons: readonly EligibilityReason[];
  /** Own unpaid decision: the row offers "去缴款". */
  decisionId: string;
  decisionNo: string;
  /** Own decision paid online: the order whose receipt the row opens. */
  orderId: string;
  amount: string;
  surcharge: string;
  dueDate: string;
  dueText: string;
  overdue: boolean;
  together: string;
  note: string;
}

function dueText(daysLeft: number): string {
  if (daysLeft > 0) return `还剩 ${daysLeft} 天`;
  if (daysLeft === 0) return '今天是最后一天';
  return `已逾期 ${-daysLeft} 天`;
}

const NO_STATE = {
  reasons: [],
  decisionId: '',
  decisionNo: '',
  orderId: '',
  amount: '',
  surcharge: '',
  dueDate: '',
  dueText: '',
  overdue: false,
  together: '',
  note: '',
} as const;

export function stateView(s: ViolationState): StateView {
  switch (s.kind) {
    case 'processable':
      return { ...NO_STATE, kind: s.kind, tag: '可网上处理', tagTheme: 'success' };
    case 'notProcessable':
      return { ...NO_STATE, kind: s.kind, tag: '不能网上处理', tagTheme: 'warning', reasons: s.reasons };
    case 'awaitingPayment':
      return {
        ...NO_STATE,
        kind: s.kind,
        tag: '已处理待缴款',
        tagTheme: 'danger',
        decisionId: s.decisionId,
        decisionNo: s.decisionNo,
        amount: formatYuan(s.amount),
        surcharge: s.surcharge > 0 ? formatYuan(s.surcharge) : '',
        dueDate: s.dueDate,
        dueText: dueText(s.daysLeft),
        overdue: s.daysLeft < 0,
        together: s.violationCount > 1 ? `本决定书含 ${s.violationCount} 条违法，一次缴清` : '',
      };
    case 'processed':
      return { ...NO_STATE, kind: s.kind, tag: '已处理', tagTheme: 'default', note: '已由其他驾驶人接受处理。' };
    case 'paid':
      return {
        ...NO_STATE,
        kind: s.kind,
        tag: '已缴款',
        tagTheme: 'success',
        decisionNo: s.decisionNo ?? '',
        orderId: s.orderId ?? '',
        note: s.paidAt === undefined ? '罚款已缴清。' : `${formatDateTime(s.paidAt)} 缴款成功`,
      };
    case 'processedOffline':
      return {
        ...NO_STATE,
        kind: s.kind,
        tag: '已在窗口处理',
        tagTheme: 'default',
        note: '已在交警窗口处理，请按窗口出具的处罚决定书缴纳罚款。',
      };
    case 'paidOffline':
      return {
        ...NO_STATE,
        kind: s.kind,
        tag: '已缴款（银行）',
        tagTheme: 'success',
        note:
          s.paidAt === undefined ? '已在银行等其他渠道缴款。' : `${formatDateTime(s.paidAt)} 已在银行等其他渠道缴款`,
      };
  }
}
