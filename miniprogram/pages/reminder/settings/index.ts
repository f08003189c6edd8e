// Reminder settings: every kind with the messages left for each, asking WeChat for more, and what was sent.
import { REMINDER_KINDS, REMINDER_TITLES, type ReminderKind } from '../../../domain/reminder/reminders';
import { getReminderStatus } from '../../../services/reminder';
import { askOutcomeNotice, askReminders } from '../../../utils/subscribe';
import { busyAction } from '../../../utils/busy';
import { formatDateTime } from '../../../utils/format';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import type { SentReminderItem, ReminderStatusResult } from '../../../domain/reminder/contract';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

const DESCRIPTIONS: Readonly<Record<ReminderKind, string>> = {
  newViolation: '绑定的车辆有新的电子监控违法记录时提醒',
  licenceRenewal: '驾驶证有效期满前 90 日内提醒换证',
  inspectionDue: '绑定车辆的检验有效期满前 30 日内提醒年检',
  fineSurcharge: '罚款缴纳期限（决定书之日起第 15 日）到期时提醒，逾期将加处罚款',
  moveCar: '您的车辆挡住他人时，对方可通过“一键挪车”通知您（双方都看不到对方的手机号和身份）',
  refund: '多缴或重复缴纳的款项原路退回到账时通知您',
};

/** One WeChat panel holds at most 3 templates: the car and fine reminders together, the licence on its own. */
const GROUPS: Readonly<Record<'vehicle' | 'licence' | 'moveCar' | 'refund', readonly ReminderKind[]>> = {
  vehicle: ['newViolation', 'inspectionDue', 'fineSurcharge'],
  licence: ['licenceRenewal'],
  moveCar: ['moveCar'],
  refund: ['refund'],
};

const SENT_STATUS: Readonly<
  Record<SentReminderItem['status'], { text: string; theme: 'success' | 'danger' | 'default' }>
> = {
  sent: { text: '已发送', theme: 'success' },
  failed: { text: '发送失败', theme: 'danger' },
  claimed: { text: '发送中', theme: 'default' },
};

interface KindRow {
  kind: ReminderKind;
  title: string;
  description: string;
  left: string;
  theme: 'primary' | 'default';
}

interface SentRow {
  key: string;
  title: string;
  time: string;
  status: string;
  theme: string;
}

function kindRows(credits: Readonly<Record<ReminderKind, number>>): KindRow[] {
  return REMINDER_KINDS.map((kind) => {
    const left = credits[kind];
    return {
      kind,
      title: REMINDER_TITLES[kind],
      description: DESCRIPTIONS[kind],
      left: left > 0 ? `剩余 ${left} 条` : '未开启',
      theme: left > 0 ? 'primary' : 'default',
    };
  });
}

function sentRows(sent: ReminderStatusResult['sent']): SentRow[] {
  return sent.map((item, i) => ({
    key: `${i}-${item.at}`,
    title: item.title,
    time: formatDateTime(item.at),
    status: SENT_STATUS[item.status].text,
    theme: SENT_STATUS[item.status].theme,
  }));
}

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    kinds: [] as KindRow[],
    sent: [] as SentRow[],
    notice: '',
    noticeTheme: field<'success' | 'info' | 'error'>('info'),
  },

  methods: {
    onLoad() {
      void this.load();
    },

    onRetry() {
      void this.load();
    },

    load(): Promise<void> {
      return loadOnce(this, async () => {
        const status = await getReminderStatus();
        this.setData({
          loading: false,
          loadError: '',
          needsVerify: false,
          kinds: kindRows(status.credits),
          sent: sentRows(status.sent),
        });
      });
    },

    onSubscribeVehicle() {
      this.ask(GROUPS.vehicle);
    },

    onSubscribeLicence() {
      this.ask(GROUPS.licence);
    },

    onSubscribeMoveCar() {
      this.ask(GROUPS.moveCar);
    },

    onSubscribeRefund() {
      this.ask(GROUPS.refund);
    },

    /** Called straight from a tap handler: askReminders opens WeChat's panel before anything is awaited. */
    ask(kinds: readonly ReminderKind[]) {
      void busyAction(this, 'ask', async () => {
        const outcome = await askReminders(kinds);
        const notice = askOutcomeNotice(outcome);
        this.setData({
          notice: notice.text,
          noticeTheme: notice.theme,
          ...(outcome.status === 'subscribed' ? { kinds: kindRows(outcome.credits) } : {}),
        });
      });
    },

    onVerify() {
      openPage(ROUTES.register);
    },
  },
});
