// The decision just issued (number, violations, points added, amount), then WeChat Pay with the server's parameters.
import { formatYuan } from '../../../domain/violation/fees';
import { createPayment, getDecision, requestWxPayment } from '../../../services/payment';
import { toServiceError } from '../../../services/errors';
import { busyAction } from '../../../utils/busy';
import { takeDecision, takeOrder, type DecidedViolation } from '../../../utils/decision-handoff';
import { pageUrl, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { askOutcomeNotice, askReminders } from '../../../utils/subscribe';
import { field } from '../../../utils/data-field';
import { ERROR_MESSAGES } from '../../../domain/core/errors';
import { careBehavior } from '../../../utils/care';

const state = instanceState(() => ({ decisionId: '' }));

/** A non-negative integer from the query, or null. */
function intFrom(text: string): number | null {
  return /^\d{1,12}$/.test(text) ? Number(text) : null;
}

Component({
  behaviors: [careBehavior],
  data: {
    decisionNo: '',
    count: '',
    points: '',
    amount: '',
    dueDate: '',
    /** After payment.create: the server's split of what is due today. */
    fine: '',
    surcharge: '',
    violations: [] as DecidedViolation[],
    hasDecision: false,
    paying: false,
    error: '',
    alreadyPaid: false,
    missing: false,
    remindNotice: '',
    remindTheme: field<'success' | 'info' | 'error'>('info'),
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const decisionId = queryValue(query, 'decisionId');
      state(this).decisionId = decisionId;
      if (decisionId === '') {
        this.setData({ missing: true });
        return;
      }
      const amount = intFrom(queryValue(query, 'amount'));
      const points = intFrom(queryValue(query, 'points'));
      const count = intFrom(queryValue(query, 'count'));
      const violations = takeDecision(decisionId);
      this.setData({
        decisionNo: queryValue(query, 'decisionNo'),
        amount: amount === null ? '' : formatYuan(amount),
        points: points === null ? '' : `${points} 分`,
        count: count === null ? (violations.length > 0 ? `${violations.length} 条` : '') : `${count} 条`,
        dueDate: queryValue(query, 'dueDate'),
        violations: violations.slice(),
        hasDecision: true,
      });
      // Opened from the receipts list with the decision alone: today's amount and deadline come from the server.
      if (amount === null) void this.loadDecision(decisionId);
    },

    async loadDecision(decisionId: string) {
      try {
        const decision = await getDecision(decisionId);
        if (decision.status === 'paid') {
          this.setData({ error: ERROR_MESSAGES.ALREADY_PAID, alreadyPaid: true });
          return;
        }
        this.setData({
          decisionNo: decision.decisionNo,
          amount: formatYuan(decision.amount),
          fine: decision.surcharge > 0 ? formatYuan(decision.fine) : '',
          surcharge: decision.surcharge > 0 ? formatYuan(decision.surcharge) : '',
          points: `${decision.points} 分`,
          count: `${decision.violations.length} 条`,
          dueDate: decision.dueDate,
        });
      } catch {
        // the order's own amount still shows when paying; nothing here is needed to pay
      }
    },

    onDecision() {
      const { decisionId } = state(this);
      if (decisionId !== '') openPage(pageUrl(ROUTES.decision, { decisionId }));
    },

    async onPay() {
      const { decisionId } = state(this);
      if (decisionId === '') return;
      await busyAction(
        this,
        'pay',
        async () => {
          // the order processing opened comes along; without it (opened later, or it failed) the server opens it now
          const order = takeOrder(decisionId) ?? (await createPayment(decisionId));
          // the amount the cashier will show is the server's, fixed when the order was created
          const surcharge = order.surcharge ?? 0;
          this.setData({
            amount: formatYuan(order.amount),
            fine: surcharge > 0 && order.fine !== undefined ? formatYuan(order.fine) : '',
            surcharge: surcharge > 0 ? formatYuan(surcharge) : '',
          });
          await requestWxPayment(order.payment);
          void wx.redirectTo({ url: pageUrl(ROUTES.payResult, { orderId: order.orderId, amount: order.amount }) });
        },
        {
          start: { paying: true, error: '', alreadyPaid: false },
          failure: (error) => {
            const failure = toServiceError(error);
            return { error: failure.message, alreadyPaid: failure.code === 'ALREADY_PAID' };
          },
          end: { paying: false },
        },
      );
    },

    // From its own tap (WeChat opens the subscribe panel only inside one): a driver who pays later hears before day 16.
    onRemindSurcharge() {
      void askReminders(['fineSurcharge']).then((outcome) => {
        const notice = askOutcomeNotice(outcome);
        this.setData({ remindNotice: notice.text, remindTheme: notice.theme });
      });
    },

    onReceipts() {
      openPage(ROUTES.receipts);
    },
  },
});
