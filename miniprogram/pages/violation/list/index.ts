// Violations of every bound car in three tabs (待处理 / 待缴款 / 已完成), grouped by car, each card in the one state the
// cloud decided: tick the processable ones (running totals, the 12-point warning before submit), read why one cannot
// be processed online and what to do, pay an own decision, or see when it was settled.
import { ELIGIBILITY_REASON_TEXT, MAX_BATCH_SIZE } from '../../../domain/violation/eligibility';
import { formatYuan } from '../../../domain/violation/fees';
import { FULL_MARKS, staysBelowFullMarks } from '../../../domain/licence/scoring-cycle';
import { forgetAnswers } from '../../../services/cache';
import { toServiceError } from '../../../services/errors';
import { listViolations, processViolations } from '../../../services/violation';
import { busyAction, isBusy } from '../../../utils/busy';
import { handOverDecision, handOverOrder } from '../../../utils/decision-handoff';
import { type CheckboxChangeEvent, type DatasetEvent, type ValueChangeEvent } from '../../../utils/events';
import { formatDateTime, pageUrl, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { GUIDE_IDS } from '../../../domain/guide/offices';
import type { ViolationItem } from '../../../domain/violation/contract';
import { stateView, type StateView } from '../state-view';
import { VIOLATION_TABS, violationTab, type ViolationTab } from '../../../domain/violation/state';
import { careBehavior } from '../../../utils/care';

/** Rows rendered per page: 20 rows stay far below WeChat's advice of 256 KB per setData (measured in the tests). */
const PAGE_SIZE = 20;

interface Row {
  id: string;
  /** The car's heading, on the first card of each car's group. */
  head: string;
  plate: string;
  time: string;
  place: string;
  behaviour: string;
  fine: string;
  points: number;
  checked: boolean;
  state: StateView;
}

interface Stage {
  value: ViolationTab;
  label: string;
}

interface Tab {
  value: string;
  label: string;
}

const STAGE_LABELS: Readonly<Record<ViolationTab, string>> = { pending: '待处理', unpaid: '待缴款', done: '已完成' };
const STAGE_EMPTY: Readonly<Record<ViolationTab, string>> = {
  pending: '没有待处理的违法记录。',
  unpaid: '没有待缴款的处罚决定。',
  done: '暂无已处理完毕的违法记录。',
};

const state = instanceState(() => ({
  /** Set after a batch is processed: the list changed on the server. */
  stale: false,
  all: [] as readonly ViolationItem[],
  /** Cars in the order of their newest violation: the groups' order. */
  plates: [] as readonly string[],
  /** All cars shown: each car's first card carries its heading. */
  grouped: true,
  filtered: [] as readonly ViolationItem[],
  shown: 0,
  selected: new Map<string, ViolationItem>(),
  /** null when no licence is linked or it could not be read: the server still checks the 12 points. */
  cyclePoints: null as number | null,
}));

function asStage(value: string): ViolationTab {
  return VIOLATION_TABS.find((tab) => tab === value) ?? 'pending';
}

function toRow(v: ViolationItem, checked: boolean, head: string): Row {
  return {
    id: v.id,
    head,
    plate: v.plate,
    time: formatDateTime(v.occurredAt),
    place: v.place,
    behaviour: v.behaviour,
    fine: formatYuan(v.fine),
    points: v.points,
    checked,
    state: stateView(v.state),
  };
}

/** One tab's violations, grouped by car (newest car first); in 待处理 the processable ones come first. */
function stageList(all: readonly ViolationItem[], plates: readonly string[], stage: ViolationTab): ViolationItem[] {
  const inStage = all.filter((v) => violationTab(v.state.kind) === stage);
  // cars with something to tick come first, so what the driver can act on is at the top
  const actionable = (plate: string) => inStage.some((v) => v.plate === plate && v.state.kind === 'processable');
  const order = [...plates.filter(actionable), ...plates.filter((p) => !actionable(p))];
  const rank = (v: ViolationItem) => order.indexOf(v.plate) * 2 + (v.state.kind === 'processable' ? 0 : 1);
  // stable: within a car and a rank the server's order (newest first) stays
  return inStage
    .map((v, i) => ({ v, i }))
    .sort((a, b) => rank(a.v) - rank(b.v) || a.i - b.i)
    .map(({ v }) => v);
}

/** Row i of the current tab, headed by its car when it starts that car's group. */
function rowAt(
  s: { filtered: readonly ViolationItem[]; selected: ReadonlyMap<string, ViolationItem>; grouped: boolean },
  i: number,
): Row {
  const v = s.filtered[i];
  if (v === undefined) throw new Error(`no row ${String(i)}`);
  const first = s.grouped && (i === 0 || s.filtered[i - 1]?.plate !== v.plate);
  const head = first ? `${v.plate} · ${String(s.filtered.filter((o) => o.plate === v.plate).length)} 条` : '';
  return toRow(v, s.selected.has(v.id), head);
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
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    reasonText: ELIGIBILITY_REASON_TEXT,
    tabs: [] as Tab[],
    filter: '',
    stages: [] as Stage[],
    stage: 'pending',
    stageEmpty: '',
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
      forgetAnswers();
      void this.load(this.data.filter).then(() => wx.stopPullDownRefresh());
    },

    load(filter: string): Promise<void> {
      const s = state(this);
      return loadOnce(this, async () => {
        // one call: the list carries the cycle points that drive the 12-point warning, as the server counts them
        const list = await listViolations();
        s.all = list.violations;
        s.stale = false;
        s.selected = new Map();
        s.cyclePoints = list.cyclePoints ?? null;
        const plates: string[] = [];
        s.all.forEach((v) => {
          if (plates.indexOf(v.plate) < 0) plates.push(v.plate);
        });
        s.plates = plates.slice();
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

    applyFilter(filter: string, chosen?: ViolationTab) {
      const s = state(this);
      const stage = chosen ?? asStage(this.data.stage);
      s.grouped = filter === '';
      const ofCar = filter === '' ? s.all : s.all.filter((v) => v.plate === filter);
      const count = (tab: ViolationTab) => ofCar.filter((v) => violationTab(v.state.kind) === tab).length;
      s.filtered = stageList(ofCar, s.plates, stage);
      s.shown = Math.min(PAGE_SIZE, s.filtered.length);
      const rows: Row[] = [];
      for (let i = 0; i < s.shown; i += 1) rows.push(rowAt(s, i));
      this.setData({
        filter,
        stage,
        stages: VIOLATION_TABS.map((value) => ({
          value,
          label: `${STAGE_LABELS[value]}（${count(value)}）`,
        })),
        stageEmpty: STAGE_EMPTY[stage],
        items: rows,
        filteredCount: s.filtered.length,
        hasMore: s.shown < s.filtered.length,
      });
      this.updateTotals();
    },

    onFilter(e: ValueChangeEvent<unknown>) {
      this.applyFilter(String(e.detail.value));
    },

    onStage(e: ValueChangeEvent<unknown>) {
      this.applyFilter(this.data.filter, asStage(String(e.detail.value)));
    },

    onMore() {
      const s = state(this);
      if (s.shown >= s.filtered.length) return;
      const next = Math.min(s.shown + PAGE_SIZE, s.filtered.length);
      // append by path so only the new rows cross to the view layer
      const patch: Record<string, Row | boolean> = {};
      for (let i = s.shown; i < next; i += 1) patch[`items[${i}]`] = rowAt(s, i);
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
      if (violation === undefined || violation.id !== id || violation.state.kind !== 'processable') return;
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
          if (decision.order !== undefined) handOverOrder(decision.decisionId, decision.order);
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

    onPay(e: DatasetEvent<{ id: string }>) {
      const v = state(this).all.find((item) => item.id === e.currentTarget.dataset.id);
      if (v?.state.kind !== 'awaitingPayment') return;
      const { decisionId, decisionNo, amount, violationCount, dueDate } = v.state;
      openPage(pageUrl(ROUTES.payConfirm, { decisionId, decisionNo, amount, count: violationCount, dueDate }));
    },

    onOpen(e: DatasetEvent<{ id: string }>) {
      const violationId = e.currentTarget.dataset.id;
      if (violationId === undefined || violationId === '') return;
      openPage(pageUrl(ROUTES.violationDetail, { violationId }));
    },

    // a paid card opens its own receipt; without the order (not expected once paid online) the receipts list
    onReceipt(e: DatasetEvent<{ order: string }>) {
      const orderId = e.currentTarget.dataset.order ?? '';
      openPage(orderId === '' ? ROUTES.receipts : pageUrl(ROUTES.receipt, { orderId }));
    },

    onReceipts() {
      openPage(ROUTES.receipts);
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
