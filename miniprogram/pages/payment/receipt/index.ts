// The electronic receipt of one paid order, as the server keeps it: what was collected, when, by whom, under which numbers.
import { formatYuan } from '../../../domain/violation/fees';
import { ROUTES } from '../../../domain/routes';
import { getReceipt } from '../../../services/payment';
import { formatDateTime, pageUrl, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { careBehavior } from '../../../utils/care';

const state = instanceState(() => ({ orderId: '', decisionId: '' }));

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
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
        { start: { loading: true, loadError: '', needsVerify: false } },
      );
    },

    onDecision() {
      const { decisionId } = state(this);
      if (decisionId !== '') openPage(pageUrl(ROUTES.decision, { decisionId }));
    },

    onVerify() {
      openPage(ROUTES.register);
    },
  },
});
