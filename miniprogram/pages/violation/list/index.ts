// Violations of every bound car: filter by car, tick the processable ones (running totals of fine, surcharge and
// points, with the 12-point warning before submit), or read why one cannot be processed online and what to do.
import { ELIGIBILITY_REASON_TEXT, MAX_BATCH_SIZE, type EligibilityReason } from '../../../domain/violation/eligibility';
import { formatYuan } from '../../../domain/violation/fees';
import { FULL_MARKS, staysBelowFullMarks } from '../../../domain/licence/scoring-cycle';
import { toServiceError } from '../../../services/errors';
import { getProfile } from '../../../services/user';
import { listViolations, processViolations } from '../../../services/violation';
import { busyAction, isBusy } from '../../../utils/busy';
import { handOverDecision } from '../../../utils/decision-handoff';
import { type CheckboxChangeEvent, type DatasetEvent, type ValueChangeEvent } from '../../../utils/events';
import { formatDateTime, pageUrl, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { GUIDE_IDS } from '../../../domain/guide/offices';
import type { ViolationItem } from '../../../domain/violation/contract';

/** Rows rendered per page: 20 rows stay far below WeChat's advice of 256 KB per setData (measured in the tests). */
const PAGE_SIZE = 20;

interface Row {
  id: string;
  plate: string;
  time: string;
  place: string;
  behaviour: string;
  fine: string;
  points: number;
  surcharge: string;
  processable: boolean;
  checked: boolean;
  reasons: readonly EligibilityReason[];
  /** Processed, decision issued, fine not yet paid: the row offers "去缴款". */
  decisionId: string;
  decisionNo: string;
}

interface Tab {
  value: string;
  label: string;
}

const state = instanceState(() => ({
  /** Set after a batch is processed: the list changed on the server. */
  stale: false,
  all: [] as readonly ViolationItem[],
  filtered: [] as readonly ViolationItem[],
  shown: 0,
  selected: new Map<string, ViolationItem>(),
  /** null when no licence is linked or it could not be read: the server still checks the 12 points. */
  cyclePoints: null as number | null,
}));

function toRow(v: ViolationItem, checked: boolean): Row {
  const payable = v.status === 'processed' && v.decisionId !== undefined;
  return {
    id: v.id,
    plate: v.plate,
    time: formatDateTime(v.occurredAt),
    place: v.place,
    behaviour: v.behaviour,
    fine: formatYuan(v.fine),
    points: v.points,
    surcharge: formatYuan(v.surcharge),
    processable: v.processable,
    checked,
    reasons: v.reasons,
    decisionId: payable ? (v.decisionId ?? '') : '',
    decisionNo: payable ? (v.decisionNo ?? '') : '',
  };
}

interface Totals {
  count: number;
  fine: number;
  surcharge: number;
  points: number;
}

function totalsOf(selected: ReadonlyMap<string, ViolationItem>): Totals {
  const totals: Totals = { count: 0, fine: 0, surcharge: 0, points: 0 };
  selected.forEach((v) => {
    totals.count += 1;
    totals.fine += v.fine;
    totals.surcharge += v.surcharge;
    totals.points += v.points;
  });
  return totals;
}

function limitWarning(cyclePoints: number | null, points: number): string {
  if (cyclePoints === null || points === 0 || staysBelowFullMarks(cyclePoints, points)) return '';
  return `本记分周期已记 ${cyclePoints} 分，所选违法共 ${points} 分，合计 ${cyclePoints + points} 分，达到 ${FULL_MARKS} 分，不能在网上处理。请减少所选违法，或到交警窗口办理。`;
}

Component({
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    reasonText: ELIGIBILITY_REASON_TEXT,
    tabs: [] as Tab[],
    filter: '',
    items: [] as Row[],
    filteredCount: 0,
    hasMore: false,
    cyclePointsText: '',
    selectedCount: 0,
    totalFine: formatYuan(0),
    totalSurcharge: formatYuan(0),
    totalAmount: formatYuan(0),
    totalPoints: 0,
    warning: '',
    notice: '',
    confirmVisible: false,
    confirmContent: '',
    limitVisible: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      void this.load(queryValue(query, 'plate'));
    },

    onShow() {
      if (state(this).stale) void this.load(this.data.filter);
    },

    onRetry() {
      void this.load(this.data.filter);
    },

    onPullDownRefresh() {
      void this.load(this.data.filter).then(() => wx.stopPullDownRefresh());
    },

    load(filter: string): Promise<void> {
      const s = state(this);
      return loadOnce(this, async () => {
        // the profile's cycle points drive the 12-point warning; without them the list still works
        const [list, profile] = await Promise.all([listViolations(), getProfile().catch(() => null)]);
        s.all = list.violations;
        s.stale = false;
        s.selected = new Map();
        const fromProfile = profile?.licence?.cyclePoints;
        s.cyclePoints = fromProfile ?? list.cyclePoints ?? null;
        const plates: string[] = [];
        s.all.forEach((v) => {
          if (plates.indexOf(v.plate) < 0) plates.push(v.plate);
        });
        if (filter !== '' && plates.indexOf(filter) < 0) plates.push(filter);
        this.setData({
          loading: false,
          loadError: '',
          needsVerify: false,
          tabs: [{ value: '', label: '全部' }, ...plates.map((p) => ({ value: p, label: p }))],
          cyclePointsText: s.cyclePoints === null ? '' : `本记分周期已记 ${s.cyclePoints} 分`,
        });
        this.applyFilter(filter);
      });
    },

    applyFilter(filter: string) {
      const s = state(this);
      s.filtered = filter === '' ? s.all : s.all.filter((v) => v.plate === filter);
      s.shown = Math.min(PAGE_SIZE, s.filtered.length);
      this.setData({
        filter,
        items: s.filtered.slice(0, s.shown).map((v) => toRow(v, s.selected.has(v.id))),
        filteredCount: s.filtered.length,
        hasMore: s.shown < s.filtered.length,
      });
      this.updateTotals();
    },

    onFilter(e: ValueChangeEvent<unknown>) {
      this.applyFilter(String(e.detail.value));
    },

    onMore() {
      const s = state(this);
      if (s.shown >= s.filtered.length) return;
      const next = Math.min(s.shown + PAGE_SIZE, s.filtered.length);
      // append by path so only the new rows cross to the view layer
      const patch: Record<string, Row | boolean> = {};
      for (let i = s.shown; i < next; i += 1) {
        const v = s.filtered[i];
        if (v !== undefined) patch[`items[${i}]`] = toRow(v, s.selected.has(v.id));
      }
      patch['hasMore'] = next < s.filtered.length;
      s.shown = next;
      this.setData(patch);
    },

    onReachBottom() {
      this.onMore();
    },

    onPick(e: CheckboxChangeEvent<{ id: string; index: number }>) {
      const s = state(this);
      const id = e.currentTarget.dataset.id ?? '';
      const index = Number(e.currentTarget.dataset.index);
      const violation = s.filtered[index];
      if (violation === undefined || violation.id !== id || !violation.processable) return;
      if (e.detail.checked) {
        if (s.selected.size >= MAX_BATCH_SIZE) {
          this.setData({ notice: `一次最多处理 ${MAX_BATCH_SIZE} 条违法记录。` });
          return;
        }
        s.selected.set(id, violation);
      } else {
        s.selected.delete(id);
      }
      this.setData({ [`items[${index}].checked`]: e.detail.checked, notice: '' });
      this.updateTotals();
    },

    updateTotals() {
      const s = state(this);
      const totals = totalsOf(s.selected);
      this.setData({
        selectedCount: totals.count,
        totalFine: formatYuan(totals.fine),
        totalSurcharge: formatYuan(totals.surcharge),
        totalAmount: formatYuan(totals.fine + totals.surcharge),
        totalPoints: totals.points,
        warning: limitWarning(s.cyclePoints, totals.points),
      });
    },

    onSubmit() {
      const s = state(this);
      const totals = totalsOf(s.selected);
      if (totals.count === 0 || isBusy(this, 'process')) return;
      if (limitWarning(s.cyclePoints, totals.points) !== '') {
        this.setData({ limitVisible: true });
        return;
      }
      const after = s.cyclePoints === null ? '' : `，处理后本记分周期累计 ${s.cyclePoints + totals.points} 分`;
      this.setData({
        confirmVisible: true,
        confirmContent:
          `共 ${totals.count} 条违法，罚款 ${formatYuan(totals.fine)}，记 ${totals.points} 分${after}。` +
          '接受处理后将生成处罚决定书，请在 15 日内缴纳罚款，逾期每日加处罚款数额的 3%。',
      });
    },

    onLimitClose() {
      this.setData({ limitVisible: false });
    },

    onConfirmCancel() {
      this.setData({ confirmVisible: false });
    },

    async onConfirm() {
      const s = state(this);
      this.setData({ confirmVisible: false });
      if (s.selected.size === 0) return;
      let moved = '';
      await busyAction(
        this,
        'process',
        async () => {
          const chosen = Array.from(s.selected.values());
          const decision = await processViolations(chosen.map((v) => v.id));
          s.stale = true;
          handOverDecision(
            decision.decisionId,
            chosen.map((v) => ({
              id: v.id,
              plate: v.plate,
              time: formatDateTime(v.occurredAt),
              behaviour: v.behaviour,
              fine: formatYuan(v.fine),
              points: v.points,
            })),
          );
          openPage(
            pageUrl(ROUTES.payConfirm, {
              decisionId: decision.decisionId,
              decisionNo: decision.decisionNo,
              amount: decision.amount,
              points: decision.points ?? totalsOf(s.selected).points,
              count: chosen.length,
              dueDate: decision.dueDate,
            }),
          );
        },
        {
          failure: (error) => {
            const failure = toServiceError(error);
            if (failure.code === 'NOT_PROCESSABLE' || failure.code === 'POINTS_LIMIT') moved = failure.message;
            return { notice: failure.message };
          },
        },
      );
      // the registry moved on (processed elsewhere, points changed): show the list as it is now, the sentence kept
      if (moved !== '') {
        await this.load(this.data.filter);
        this.setData({ notice: moved });
      }
    },

    onPay(e: DatasetEvent<{ decisionId: string; decisionNo: string }>) {
      const { decisionId = '', decisionNo = '' } = e.currentTarget.dataset;
      if (decisionId !== '') openPage(pageUrl(ROUTES.payConfirm, { decisionId, decisionNo }));
    },

    onVerify() {
      openPage(ROUTES.register);
    },

    onBindCar() {
      openPage(ROUTES.vehicles);
    },

    // A disputed violation is handled in person: the guide says what to bring and lists the offices.
    onDisputeGuide() {
      openPage(pageUrl(ROUTES.guideDetail, { guideId: GUIDE_IDS.dispute }));
    },
  },
});
