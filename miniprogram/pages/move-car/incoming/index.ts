// Move-car requests for my cars: the plate, where, when (never who asked), an answer while it is fresh, and
// WeChat notices for the next one. The owner's subscribe message opens this page on its request.
import { MOVE_CAR_REPLIES, MOVE_CAR_REPLY_TEXTS, type MoveCarReply } from '../../../domain/move-car/move-car';
import { errorMessage } from '../../../services/errors';
import { answerMoveCar, incomingMoveCarRequests } from '../../../services/move-car';
import { busyAction } from '../../../utils/busy';
import { type DatasetEvent } from '../../../utils/events';
import { formatDateTime, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { askOutcomeNotice, askReminders } from '../../../utils/subscribe';
import type { IncomingMoveCarItem } from '../../../domain/move-car/contract';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

interface Row {
  requestId: string;
  plate: string;
  place: string;
  time: string;
  /** The answer given, '' until then. */
  replyText: string;
  answerable: boolean;
  /** The request the message opened the page on. */
  highlighted: boolean;
}

const REPLY_OPTIONS = MOVE_CAR_REPLIES.map((reply) => ({ reply, text: MOVE_CAR_REPLY_TEXTS[reply] }));

function row(item: IncomingMoveCarItem, highlighted: string): Row {
  return {
    requestId: item.requestId,
    plate: item.plate,
    place: item.place === '' ? '对方未填写位置' : item.place,
    time: formatDateTime(item.createdAt),
    replyText: item.replyText ?? '',
    answerable: item.answerable,
    highlighted: item.requestId === highlighted,
  };
}

function isReply(value: string | undefined): value is MoveCarReply {
  return MOVE_CAR_REPLIES.some((reply) => reply === value);
}

const state = instanceState(() => ({ highlighted: '' }));

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    requests: [] as Row[],
    replies: REPLY_OPTIONS,
    notice: '',
    noticeTheme: field<'success' | 'info' | 'error'>('info'),
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).highlighted = queryValue(query, 'requestId');
      void this.load();
    },

    onPullDownRefresh() {
      void this.load().then(() => wx.stopPullDownRefresh());
    },

    onRetry() {
      void this.load();
    },

    load(): Promise<void> {
      const s = state(this);
      return loadOnce(
        this,
        async () => {
          const items = await incomingMoveCarRequests();
          this.setData({ loading: false, needsVerify: false, requests: items.map((item) => row(item, s.highlighted)) });
        },
        { start: { loading: this.data.requests.length === 0, loadError: '' } },
      );
    },

    async onAnswer(e: DatasetEvent<{ requestId: string; reply: string }>) {
      const s = state(this);
      const { requestId, reply } = e.currentTarget.dataset;
      if (requestId === undefined || !isReply(reply)) return;
      await busyAction(
        this,
        'answer',
        async () => {
          const answered = await answerMoveCar(requestId, reply);
          this.setData({
            requests: this.data.requests.map((r) => (r.requestId === requestId ? row(answered, s.highlighted) : r)),
            notice: `已回复“${MOVE_CAR_REPLY_TEXTS[reply]}”，对方会在小程序中看到。`,
            noticeTheme: 'success',
          });
        },
        { failure: (error) => ({ notice: errorMessage(error), noticeTheme: 'error' }) },
      );
    },

    /** Straight from the tap: askReminders opens WeChat's panel before anything is awaited. */
    onSubscribe() {
      void busyAction(this, 'ask', async () => {
        const notice = askOutcomeNotice(await askReminders(['moveCar']));
        this.setData({ notice: notice.text, noticeTheme: notice.theme });
      });
    },

    onVerify() {
      openPage(ROUTES.register);
    },
  },
});
