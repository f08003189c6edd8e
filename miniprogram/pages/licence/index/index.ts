// Licence: points in the current scoring cycle decision by decision (carried-over ones too), what 12 points means,
// the cycle's dates, the class and validity; links to the credit certificate and the reminders.
import { type LicenceStatus } from '../../../domain/licence/licence';
import { FULL_MARKS, pointsRemaining } from '../../../domain/licence/scoring-cycle';
import { errorMessage } from '../../../services/errors';
import { getLicenceScreen, getPointsHistory } from '../../../services/user';
import { busyAction } from '../../../utils/busy';
import { formatDateTime } from '../../../utils/format';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import type { PointsEntryItem, PointsHistoryResult } from '../../../domain/licence/contract';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

const STATUS_TEXT: Readonly<Record<LicenceStatus, string>> = {
  valid: '正常',
  expired: '已过期',
  revoked: '已吊销',
  suspended: '暂扣',
};

interface EntryRow {
  key: string;
  title: string;
  date: string;
  points: string;
  violations: string[];
  paid: string;
  paidTheme: 'success' | 'warning';
  carried: boolean;
}

function entryRow(entry: PointsEntryItem): EntryRow {
  return {
    key: `${entry.kind}-${entry.decisionId}`,
    title: `决定书 ${entry.decisionNo}`,
    date: entry.decidedOn,
    points: `${entry.points} 分`,
    violations: entry.violations.map(
      (v) => `${v.plate} · ${formatDateTime(v.occurredAt)} · ${v.behaviour}（${v.points} 分）`,
    ),
    paid: entry.paid ? '已缴款' : '未缴款',
    paidTheme: entry.paid ? 'success' : 'warning',
    carried: entry.kind === 'carried',
  };
}

function historyData(history: PointsHistoryResult) {
  return {
    historyLoading: false,
    historyError: '',
    points: history.cyclePoints,
    remaining: history.remaining,
    cycle: `${history.cycleStart} 至 ${history.cycleEnd}`,
    carriedOver: history.carriedOver,
    otherPoints: history.otherPoints,
    atFullMarks: history.atFullMarks,
    entries: history.entries.map(entryRow),
  };
}

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    verified: true,
    hasLicence: false,
    points: 0,
    remaining: 0,
    fullMarks: FULL_MARKS,
    cycle: '',
    licenceClass: '',
    validUntil: '',
    status: '',
    statusTheme: field<'success' | 'danger'>('success'),
    renewalDue: false,
    historyLoading: true,
    historyError: '',
    carriedOver: 0,
    otherPoints: 0,
    atFullMarks: false,
    entries: [] as EntryRow[],
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
        // one call: the profile and the history come together; only a missing history is read again on its own
        const { profile, history } = await getLicenceScreen();
        const licence = profile.licence;
        if (!profile.verified || licence === null) {
          this.setData({ loading: false, loadError: '', verified: profile.verified, hasLicence: false });
          return;
        }
        const valid = licence.valid ?? licence.status === 'valid';
        const shown = {
          loading: false,
          loadError: '',
          needsVerify: false,
          verified: true,
          hasLicence: true,
          points: licence.cyclePoints,
          remaining: pointsRemaining(licence.cyclePoints),
          cycle: `${licence.cycleStart} 至 ${licence.cycleEnd}`,
          licenceClass: licence.class,
          validUntil: licence.validUntil,
          status: valid
            ? STATUS_TEXT.valid
            : licence.status === 'valid'
              ? STATUS_TEXT.expired
              : STATUS_TEXT[licence.status],
          statusTheme: valid ? 'success' : 'danger',
          renewalDue: licence.renewalDue === true,
          atFullMarks: licence.cyclePoints >= FULL_MARKS,
        } as const;
        // the history's own figures win, as they did when it came by a call of its own
        this.setData(
          history === null
            ? { ...shown, historyLoading: false, historyError: '记分明细暂时无法读取，请稍后重试。' }
            : { ...shown, ...historyData(history) },
        );
      });
    },

    /** Its own section: the licence is worth showing even when the history cannot be had. */
    async loadHistory() {
      // the rendered `historyLoading` starts true, so the guard is the helper's flag; historyData turns it off
      await busyAction(this, 'history', async () => this.setData(historyData(await getPointsHistory())), {
        start: { historyLoading: true, historyError: '' },
        failure: (error) => ({ historyLoading: false, historyError: errorMessage(error) }),
      });
    },

    onRetryHistory() {
      void this.loadHistory();
    },

    onCertificates() {
      openPage(ROUTES.certificates);
    },

    onReminders() {
      openPage(ROUTES.reminders);
    },

    onVerify() {
      openPage(ROUTES.register);
    },

    onViolations() {
      openPage(ROUTES.violations);
    },
  },
});
