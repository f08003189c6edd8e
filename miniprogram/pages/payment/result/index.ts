// After WeChat Pay says paid: poll the order until the payment callback has landed (bounded), then say how it ended.
import { formatYuan } from '../../../domain/violation/fees';
import { toServiceError } from '../../../services/errors';
import { getPaymentStatus } from '../../../services/payment';
import { formatDateTime, pageUrl, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import type { PaymentStatus } from '../../../domain/payment/contract';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

/** Waits before each status query: about 30 s in all, then the page says it is slow instead of spinning on. */
const POLL_DELAYS_MS: readonly number[] = [0, 1000, 2000, 2000, 3000, 3000, 5000, 5000, 5000, 5000];

type Phase = 'checking' | 'final' | 'slow' | 'error';

interface Outcome {
  readonly theme: 'success' | 'warning' | 'error';
  readonly title: string;
  readonly description: string;
}

const OUTCOMES: Readonly<Record<Exclude<PaymentStatus, 'unpaid'>, Outcome>> = {
  paid: { theme: 'success', title: '缴款成功', description: '罚款已缴纳，违法处理完毕。' },
  amount_mismatch: {
    theme: 'warning',
    title: '支付金额与订单不一致',
    description: '本次支付未能自动确认，款项将由代收银行核实后处理，请勿重复缴款。',
  },
  closed: {
    theme: 'error',
    title: '订单已关闭',
    description: '本次订单已关闭，未完成缴款。如已扣款，款项将原路退回；您可以重新发起缴款。',
  },
  paid_unmatched: {
    theme: 'warning',
    title: '款项将原路退回',
    description: '该处罚决定书已通过其他渠道缴款，本次支付的款项将原路退回。',
  },
  refunded: { theme: 'warning', title: '已退款', description: '本次支付的款项已原路退回。' },
};

/** Errors that polling again cannot fix. */
const FINAL_ERRORS: readonly string[] = ['NOT_FOUND', 'FORBIDDEN', 'INVALID_ARGUMENT', 'UNAUTHENTICATED'];

const state = instanceState(() => ({
  orderId: '',
  decisionId: '',
  attempt: 0,
  timer: null as ReturnType<typeof setTimeout> | null,
  unloaded: false,
}));

Component({
  behaviors: [careBehavior],
  data: {
    phase: field<Phase>('checking'),
    amount: '',
    theme: field<Outcome['theme']>('success'),
    title: '',
    description: '',
    paidAt: '',
    paid: false,
    decisionNo: '',
    error: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.orderId = queryValue(query, 'orderId');
      const amount = queryValue(query, 'amount');
      if (/^\d{1,12}$/.test(amount)) this.setData({ amount: formatYuan(Number(amount)) });
      if (s.orderId === '') {
        this.setData({ phase: 'error', error: '没有找到这笔缴款订单，请在“缴款记录”中查看。' });
        return;
      }
      this.startPolling();
    },

    onUnload() {
      const s = state(this);
      s.unloaded = true;
      if (s.timer !== null) clearTimeout(s.timer);
      s.timer = null;
    },

    onCheckAgain() {
      this.startPolling();
    },

    startPolling() {
      const s = state(this);
      if (s.timer !== null) clearTimeout(s.timer);
      s.attempt = 0;
      this.setData({ phase: 'checking', error: '' });
      this.schedule();
    },

    schedule() {
      const s = state(this);
      const delay = POLL_DELAYS_MS[s.attempt];
      if (delay === undefined) {
        s.timer = null;
        this.setData({ phase: 'slow' });
        return;
      }
      s.timer = setTimeout(() => {
        s.timer = null;
        void this.poll();
      }, delay);
    },

    async poll() {
      const s = state(this);
      if (s.unloaded) return;
      try {
        const result = await getPaymentStatus(s.orderId);
        // Read afresh: the page may have been unloaded while waiting.
        if (state(this).unloaded) return;
        if (result.status === 'unpaid') {
          s.attempt += 1;
          this.schedule();
          return;
        }
        const outcome = OUTCOMES[result.status];
        s.decisionId = result.decisionId ?? '';
        this.setData({
          paid: result.status === 'paid',
          decisionNo: result.decisionNo ?? '',
          phase: 'final',
          theme: outcome.theme,
          title: outcome.title,
          description: outcome.description,
          paidAt: result.status === 'paid' ? formatDateTime(result.paidAt) : '',
          ...(result.amount === undefined ? {} : { amount: formatYuan(result.amount) }),
        });
      } catch (error: unknown) {
        if (state(this).unloaded) return;
        const failure = toServiceError(error);
        if (FINAL_ERRORS.indexOf(failure.code) >= 0) {
          this.setData({ phase: 'error', error: failure.message });
          return;
        }
        // a network blip while waiting is not an answer: keep polling within the same budget
        s.attempt += 1;
        this.schedule();
      }
    },

    onReceipt() {
      const { orderId } = state(this);
      if (orderId !== '') void wx.redirectTo({ url: pageUrl(ROUTES.receipt, { orderId }) });
    },

    onDecision() {
      const { decisionId } = state(this);
      if (decisionId !== '') openPage(pageUrl(ROUTES.decision, { decisionId }));
    },

    onReceipts() {
      void wx.redirectTo({ url: ROUTES.receipts });
    },

    onHome() {
      void wx.reLaunch({ url: ROUTES.home });
    },

    onViolations() {
      openPage(ROUTES.violations);
    },
  },
});
