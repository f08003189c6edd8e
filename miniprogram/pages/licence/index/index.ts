// Licence: points in the current scoring cycle, the cycle's dates, the class and validity.
import { type LicenceStatus } from '../../../domain/licence';
import { FULL_MARKS, pointsRemaining } from '../../../domain/scoring-cycle';
import { getProfile } from '../../../services/user';
import { instanceState } from '../../../utils/instance-state';
import { loadFailure } from '../../../utils/load-failure';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../utils/routes';

const STATUS_TEXT: Readonly<Record<LicenceStatus, string>> = {
  valid: '正常',
  expired: '已过期',
  revoked: '已吊销',
  suspended: '暂扣',
};

const state = instanceState(() => ({ loading: false }));

Component({
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
    statusTheme: 'success' as 'success' | 'danger',
    renewalDue: false,
  },

  methods: {
    onLoad() {
      void this.load();
    },

    onRetry() {
      void this.load();
    },

    async load() {
      const s = state(this);
      if (s.loading) return;
      s.loading = true;
      try {
        const profile = await getProfile();
        const licence = profile.licence;
        if (!profile.verified || licence === null) {
          this.setData({ loading: false, loadError: '', verified: profile.verified, hasLicence: false });
          return;
        }
        const valid = licence.valid ?? licence.status === 'valid';
        this.setData({
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
          status: valid ? STATUS_TEXT.valid : licence.status === 'valid' ? STATUS_TEXT.expired : STATUS_TEXT[licence.status],
          statusTheme: valid ? 'success' : 'danger',
          renewalDue: licence.renewalDue === true,
        });
      } catch (error: unknown) {
        this.setData({ loading: false, ...loadFailure(error) });
      } finally {
        s.loading = false;
      }
    },

    onVerify() {
      openPage(ROUTES.register);
    },

    onViolations() {
      openPage(ROUTES.violations);
    },
  },
});
