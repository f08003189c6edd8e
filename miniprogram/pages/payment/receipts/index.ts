// Receipts: every payment order of the driver, newest first as the server sends them, rendered a page at a time;
// a payment being paid back shows the server's words for it (退款中 / 已退款) with the amount and, once done, the time.
import { formatYuan } from '../../../domain/violation/fees';
import { listPayments } from '../../../services/payment';
import { formatDateTime } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { pageUrl } from '../../../utils/format';
import type { DatasetEvent } from '../../../utils/events';
import { ROUTES } from '../../../domain/routes';
import type { PaymentStatus, OrderItem, OrderRefund } from '../../../domain/payment/contract';
import { careBehavior } from '../../../utils/care';

const PAGE_SIZE = 20;

const STATUS: Readonly<Record<PaymentStatus, { text: string; theme: 'success' | 'warning' | 'danger' | 'default' }>> = {
  unpaid: { text: '未支付', theme: 'default' },
  paid: { text: '已缴款', theme: 'success' },
  amount_mismatch: { text: '金额异常，待核实', theme: 'danger' },
  closed: { text: '已关闭', theme: 'default' },
  paid_unmatched: { text: '已支付，待退回', theme: 'warning' },
  refunded: { text: '已退款', theme: 'warning' },
};

/** Where tapping an entry leads: its receipt once paid, the cashier while open, otherwise the decision itself. */
type Next = 'receipt' | 'pay' | 'decision';

const NEXT: Readonly<Record<PaymentStatus, Next>> = {
  unpaid: 'pay',
  paid: 'receipt',
  amount_mismatch: 'decision',
  closed: 'decision',
  paid_unmatched: 'decision',
  refunded: 'decision',
};

const NEXT_TEXT: Readonly<Record<Next, string>> = { receipt: '缴款凭证', pay: '去缴款', decision: '' };

interface ReceiptRow {
  orderId: string;
  index: number;
  title: string;
  amount: string;
  status: string;
  theme: string;
  time: string;
  next: string;
  refund: string;
}

/** The refund line under an order: what the server calls it, how much, and when it came back. */
function refundLine(refund: OrderRefund | undefined): string {
  if (refund === undefined) return '';
  const when = formatDateTime(refund.refundedAt);
  return `${refund.label} ${formatYuan(refund.amount)}${when !== '' ? `，退款时间 ${when}` : '，原路退回微信支付'}`;
}

function toRow(order: OrderItem, index: number): ReceiptRow {
  const status = STATUS[order.status];
  const paidAt = formatDateTime(order.paidAt);
  const refund = order.refund;
  return {
    orderId: order.orderId,
    index,
    next: NEXT_TEXT[NEXT[order.status]],
    title: order.decisionNo === undefined ? `订单 ${order.outTradeNo}` : `决定书 ${order.decisionNo}`,
    amount: formatYuan(order.amount),
    status: refund === undefined ? status.text : refund.label,
    theme: refund === undefined ? status.theme : refund.status === 'refunded' ? 'default' : 'warning',
    time: paidAt !== '' ? `缴款时间 ${paidAt}` : `下单时间 ${formatDateTime(order.createdAt)}`,
    refund: refundLine(refund),
  };
}

const state = instanceState(() => ({ orders: [] as readonly OrderItem[], shown: 0 }));

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    receipts: [] as ReceiptRow[],
    total: 0,
    hasMore: false,
  },

  methods: {
    onLoad() {
      void this.load();
    },

    onRetry() {
      void this.load();
    },

    load(): Promise<void> {
      const s = state(this);
      return loadOnce(this, async () => {
        s.orders = await listPayments();
        s.shown = Math.min(PAGE_SIZE, s.orders.length);
        this.setData({
          loading: false,
          loadError: '',
          needsVerify: false,
          receipts: s.orders.slice(0, s.shown).map((order, i) => toRow(order, i)),
          total: s.orders.length,
          hasMore: s.shown < s.orders.length,
        });
      });
    },

    onMore() {
      const s = state(this);
      const next = Math.min(s.shown + PAGE_SIZE, s.orders.length);
      const patch: Record<string, ReceiptRow | boolean> = {};
      for (let i = s.shown; i < next; i += 1) {
        const order = s.orders[i];
        if (order !== undefined) patch[`receipts[${i}]`] = toRow(order, i);
      }
      patch['hasMore'] = next < s.orders.length;
      s.shown = next;
      this.setData(patch);
    },

    onReachBottom() {
      if (this.data.hasMore) this.onMore();
    },

    orderAt(event: DatasetEvent<{ index: number }>): OrderItem | undefined {
      const index = event.currentTarget.dataset.index;
      return index === undefined ? undefined : state(this).orders[index];
    },

    onOpen(event: DatasetEvent<{ index: number }>) {
      const order = this.orderAt(event);
      if (order === undefined) return;
      const next = NEXT[order.status];
      if (next === 'receipt') openPage(pageUrl(ROUTES.receipt, { orderId: order.orderId }));
      else if (next === 'pay')
        openPage(pageUrl(ROUTES.payConfirm, { decisionId: order.decisionId, decisionNo: order.decisionNo }));
      else openPage(pageUrl(ROUTES.decision, { decisionId: order.decisionId }));
    },

    onDecision(event: DatasetEvent<{ index: number }>) {
      const order = this.orderAt(event);
      if (order !== undefined) openPage(pageUrl(ROUTES.decision, { decisionId: order.decisionId }));
    },

    onVerify() {
      openPage(ROUTES.register);
    },

    onViolations() {
      openPage(ROUTES.violations);
    },
  },
});
