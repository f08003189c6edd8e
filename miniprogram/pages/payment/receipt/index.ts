// The electronic receipt of one paid order, as the server keeps it: what was collected, when, by whom, under which numbers.
import { formatYuan } from '../../../domain/violation/fees';
import { ROUTES } from '../../../domain/routes';
import { toServiceError } from '../../../services/errors';
import { getReceipt } from '../../../services/payment';
import { formatDateTime, pageUrl, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { loadFailure } from '../../../utils/load-failure';
import { openPage } from '../../../utils/navigate';
import { careBehavior } from '../../../utils/care';

const state = instanceState(() => ({ orderId: '', decisionId: '' }));

/** An order of one's own that has not paid (yet) is no error: it says so, and offers to pay when the fine is still due. */
function receiptFailure(error: unknown): {
  loadError: string;
  needsVerify: boolean;
  notPaid: boolean;
  payDecisionId: string;
} {
  const failure = toServiceError(error);
  if (failure.code !== 'ORDER_NOT_PAID') return { ...loadFailure(error), notPaid: false, payDecisionId: '' };
  return {
    loadError: failure.message,
    needsVerify: false,
    notPaid: true,
    payDecisionId: failure.details?.decisionId ?? '',
  };
}

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    /** ORDER_NOT_PAID: no receipt yet; `payDecisionId` when the decision behind it is still to pay. */
    notPaid: false,
    payDecisionId: '',
    amount: '',
    fine: '',
    surcharge: '',
    paidAt: '',
    transactionId: '',
    outTradeNo: '',
    decisionNo: '',
    collectingUnit: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const orderId = queryValue(query, 'orderId');
      state(this).orderId = orderId;
      if (orderId === '') {
        this.setData({ loading: false, loadError: '没有找到这笔缴款，请在“缴款记录”中查看。' });
        return;
      }
      void this.load();
    },

    onRetry() {
      if (state(this).orderId !== '') void this.load();
    },

    load(): Promise<void> {
      const s = state(this);
      return loadOnce(
        this,
        async () => {
          const receipt = await getReceipt(s.orderId);
          s.decisionId = receipt.decisionId;
          this.setData({
            loading: false,
            loadError: '',
            needsVerify: false,
            notPaid: false,
            amount: formatYuan(receipt.amount),
            fine: formatYuan(receipt.fine),
            surcharge: receipt.surcharge > 0 ? formatYuan(receipt.surcharge) : '',
            paidAt: formatDateTime(receipt.paidAt),
            transactionId: receipt.transactionId,
            outTradeNo: receipt.outTradeNo,
            decisionNo: receipt.decisionNo,
            collectingUnit: receipt.collectingUnit,
          });
        },
        { start: { loading: true, loadError: '', needsVerify: false, notPaid: false }, failure: receiptFailure },
      );
    },

    onDecision() {
      const { decisionId } = state(this);
      if (decisionId !== '') openPage(pageUrl(ROUTES.decision, { decisionId }));
    },

    onPay() {
      const decisionId = this.data.payDecisionId;
      if (decisionId !== '') openPage(pageUrl(ROUTES.payConfirm, { decisionId }));
    },

    onReceipts() {
      openPage(ROUTES.receipts);
    },

    onVerify() {
      openPage(ROUTES.register);
    },
  },
});
