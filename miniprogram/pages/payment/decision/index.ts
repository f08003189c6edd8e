// One penalty decision of the caller's as the 处罚决定书 reads: the facts, the penalty, how and by when to pay, appeals.
import { formatYuan, PAYMENT_PERIOD_DAYS, SURCHARGE_PERCENT_PER_DAY } from '../../../domain/violation/fees';
import type { DecisionResult } from '../../../domain/violation/contract';
import { ROUTES } from '../../../domain/routes';
import { getDecision } from '../../../services/payment';
import { formatDateTime, pageUrl, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { careBehavior } from '../../../utils/care';

interface ViolationRow {
  id: string;
  behaviour: string;
  time: string;
  place: string;
  plate: string;
  code: string;
  legalBasis: string;
  fine: string;
  points: string;
}

const LATE_RULE =
  `逾期不缴纳罚款的，自第 ${PAYMENT_PERIOD_DAYS + 1} 日起每日按罚款数额的 ${SURCHARGE_PERCENT_PER_DAY}% ` +
  '加处罚款，加处罚款总额不超过罚款数额。';

function toRow(item: DecisionResult['violations'][number]): ViolationRow {
  return {
    id: item.id,
    behaviour: item.behaviour,
    time: formatDateTime(item.occurredAt),
    place: item.place ?? '',
    plate: item.plate,
    code: item.code ?? '',
    legalBasis: item.legalBasis ?? '',
    fine: formatYuan(item.fine),
    points: `${item.points} 分`,
  };
}

// what the buttons need but the view does not show
const state = instanceState(() => ({ decisionId: '', decision: null as DecisionResult | null }));

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    decisionNo: '',
    paid: false,
    personName: '',
    idNumber: '',
    decisionDate: '',
    violations: [] as ViolationRow[],
    fine: '',
    points: '',
    dueDate: '',
    amount: '',
    surcharge: '',
    paidAt: '',
    paidVia: '',
    hasReceipt: false,
    lateRule: LATE_RULE,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const decisionId = queryValue(query, 'decisionId');
      state(this).decisionId = decisionId;
      if (decisionId === '') {
        this.setData({ loading: false, loadError: '没有找到这份处罚决定书，请从“缴款记录”重新进入。' });
        return;
      }
      void this.load(decisionId);
    },

    onRetry() {
      const { decisionId } = state(this);
      if (decisionId !== '') void this.load(decisionId);
    },

    load(decisionId: string): Promise<void> {
      return loadOnce(
        this,
        async () => {
          const decision = await getDecision(decisionId);
          state(this).decision = decision;
          const paid = decision.status === 'paid';
          this.setData({
            loading: false,
            loadError: '',
            needsVerify: false,
            decisionNo: decision.decisionNo,
            paid,
            personName: decision.personName ?? '',
            idNumber: decision.idNumber ?? '',
            decisionDate: decision.decisionDate,
            violations: decision.violations.map(toRow),
            fine: formatYuan(decision.fine),
            points: `${decision.points} 分`,
            dueDate: decision.dueDate,
            amount: paid ? '' : formatYuan(decision.amount),
            surcharge: !paid && decision.surcharge > 0 ? formatYuan(decision.surcharge) : '',
            paidAt: paid ? formatDateTime(decision.paidAt) : '',
            paidVia: !paid ? '' : decision.paidVia === 'registry' ? '银行等其他渠道' : '微信支付（本小程序）',
            hasReceipt: paid && decision.paidOrderId !== undefined,
          });
        },
        { start: { loading: true, loadError: '', needsVerify: false } },
      );
    },

    onPay() {
      const decision = state(this).decision;
      if (decision === null || decision.status === 'paid') return;
      openPage(
        pageUrl(ROUTES.payConfirm, {
          decisionId: decision.decisionId,
          decisionNo: decision.decisionNo,
          amount: decision.amount,
          points: decision.points,
          count: decision.violations.length,
          dueDate: decision.dueDate,
        }),
      );
    },

    onReceipt() {
      const orderId = state(this).decision?.paidOrderId;
      if (orderId !== undefined) openPage(pageUrl(ROUTES.receipt, { orderId }));
    },

    onVerify() {
      openPage(ROUTES.register);
    },
  },
});
