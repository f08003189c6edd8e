// One violation of a bound car as the camera recorded it: time, place, behaviour, code and legal basis, fine and
// points, the evidence photos, and the same state and action its card on the list has. Opened from the list.
import { careBehavior } from '../../../utils/care';
import { ELIGIBILITY_REASON_TEXT } from '../../../domain/violation/eligibility';
import { formatYuan } from '../../../domain/violation/fees';
import { GUIDE_IDS } from '../../../domain/guide/offices';
import { ROUTES } from '../../../domain/routes';
import type { ViolationDetail } from '../../../domain/violation/contract';
import { violationDetail } from '../../../services/violation';
import { type DatasetEvent } from '../../../utils/events';
import { formatDateTime, pageUrl, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { goBack, openPage } from '../../../utils/navigate';
import { stateView, type StateView } from '../state-view';
import type { ViolationState } from '../../../domain/violation/state';

interface View {
  plate: string;
  behaviour: string;
  time: string;
  place: string;
  code: string;
  /** The basis in pieces that must not break: the law's title, then each article. */
  legalBasis: string[];
  fine: string;
  /** Processed and paid, or handled elsewhere: the fine is no longer shown as owed. */
  settled: boolean;
  points: number;
  /** Photos that could be found: their temporary URLs. */
  photos: string[];
  missingPhotos: number;
  state: StateView;
}

const SETTLED: readonly ViolationState['kind'][] = ['processed', 'paid', 'processedOffline', 'paidOffline'];

/** `《…法》第四十二条、第九十九条` → the title and each article with its separator, so lines break between them. */
function basisPieces(basis: string): string[] {
  // by hand, not a lookbehind split: older iOS WeChat engines do not parse lookbehind
  const pieces: string[] = [];
  let piece = '';
  for (const ch of basis) {
    piece += ch;
    if ('》、，,；;'.indexOf(ch) >= 0) {
      pieces.push(piece);
      piece = '';
    }
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

function view(v: ViolationDetail): View {
  const urls = v.photos.map((p) => p.url).filter((url) => url !== '');
  return {
    plate: v.plate,
    behaviour: v.behaviour,
    time: formatDateTime(v.occurredAt),
    place: v.place,
    code: v.code ?? '',
    legalBasis: basisPieces(v.legalBasis ?? ''),
    fine: formatYuan(v.fine),
    settled: SETTLED.indexOf(v.state.kind) >= 0,
    points: v.points,
    photos: urls,
    missingPhotos: v.photos.length - urls.length,
    state: stateView(v.state),
  };
}

const state = instanceState(() => ({ violationId: '', violation: null as ViolationDetail | null }));

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    reasonText: ELIGIBILITY_REASON_TEXT,
    detail: null as View | null,
    zoomable: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).violationId = queryValue(query, 'violationId');
      // a host without the image viewer (the browser preview) shows the photos at full width and nothing more
      this.setData({ zoomable: wx.canIUse('previewImage') });
      void this.load();
    },

    onPullDownRefresh() {
      void this.load().then(() => wx.stopPullDownRefresh());
    },

    onRetry() {
      void this.load();
    },

    async load(): Promise<void> {
      const s = state(this);
      // violationId is set once in onLoad, before any load: none can be under way when it is empty
      if (s.violationId === '') {
        this.setData({ loading: false, loadError: '未找到该违法记录。' });
        return;
      }
      return loadOnce(
        this,
        async () => {
          const violation = await violationDetail(s.violationId);
          s.violation = violation;
          this.setData({ loading: false, needsVerify: false, detail: view(violation) });
        },
        { start: { loading: s.violation === null, loadError: '' } },
      );
    },

    onPreview(e: DatasetEvent<{ url: string }>) {
      const current = e.currentTarget.dataset.url;
      const urls = this.data.detail?.photos ?? [];
      if (current === undefined || !this.data.zoomable) return;
      wx.previewImage({ current, urls, fail: () => undefined });
    },

    onPay() {
      const v = state(this).violation;
      if (v?.state.kind !== 'awaitingPayment') return;
      const { decisionId, decisionNo, amount, violationCount, dueDate } = v.state;
      openPage(pageUrl(ROUTES.payConfirm, { decisionId, decisionNo, amount, count: violationCount, dueDate }));
    },

    // processing is chosen on the list, where the 12-point total of everything ticked is shown before submitting
    onBackToList() {
      goBack(ROUTES.violations);
    },

    // a paid card opens its own receipt; without the order (not expected once paid online) the receipts list
    onReceipt(e: DatasetEvent<{ order: string }>) {
      const orderId = e.currentTarget.dataset.order ?? '';
      openPage(orderId === '' ? ROUTES.receipts : pageUrl(ROUTES.receipt, { orderId }));
    },

    onReceipts() {
      openPage(ROUTES.receipts);
    },

    onDisputeGuide() {
      openPage(pageUrl(ROUTES.guideDetail, { guideId: GUIDE_IDS.dispute }));
    },

    onVerify() {
      openPage(ROUTES.register);
    },
  },
});
