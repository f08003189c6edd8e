// Public check of a driver-credit certificate (an employer, no registration): number + code → snapshot and status.
// Opened from a shared card the query carries both, and the check runs at once.
import { CERTIFICATE_NUMBER_PATTERN, normaliseCode } from '../../../domain/certificate/certificate';
import { verifyCertificate } from '../../../services/certificate';
import { toServiceError } from '../../../services/errors';
import { busyAction, isBusy } from '../../../utils/busy';
import { type InputChangeEvent } from '../../../utils/events';
import { queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { certificateHeader, snapshotView, type SnapshotView, type StatusTheme } from '../snapshot';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

const NUMBER_HINT = '证明编号为 XY 开头的 18 位编号，请核对。';
const CODE_HINT = '核验码为 12 位字母和数字（短横线可不输入），请核对。';

const state = instanceState(() => ({
  timer: null as ReturnType<typeof setInterval> | null,
  waitUntilMs: 0,
  /** The number the server locked: checking it again is pointless until another number is typed. */
  lockedNumber: '',
}));

function cleanNumber(text: string): string {
  return text.replace(/\s/g, '').toUpperCase();
}

const EMPTY_VIEW: SnapshotView = { rows: [], violations: '', kinds: [], note: '' };

Component({
  behaviors: [careBehavior],
  data: {
    number: '',
    code: '',
    numberError: '',
    codeError: '',
    verifying: false,
    /** Seconds left before the server takes another try for this number; 0 = free. */
    wait: 0,
    locked: false,
    error: '',
    verified: false,
    status: '',
    statusTheme: field<StatusTheme>('success'),
    meaning: '',
    checkedNumber: '',
    issuedAt: '',
    expiresAt: '',
    view: EMPTY_VIEW,
    /** false for a revoked certificate: the driver withdrew it, so the cloud no longer shares its contents. */
    hasSnapshot: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const number = cleanNumber(queryValue(query, 'number'));
      const code = queryValue(query, 'code').trim();
      this.setData({ number, code });
      if (number !== '' && code !== '') void this.verify();
    },

    onUnload() {
      this.stopCountdown();
    },

    onNumber(e: InputChangeEvent) {
      const number = e.detail.value;
      const s = state(this);
      this.setData({
        number,
        numberError: '',
        locked: s.lockedNumber !== '' && cleanNumber(number) === s.lockedNumber,
      });
    },

    onCode(e: InputChangeEvent) {
      this.setData({ code: e.detail.value, codeError: '' });
    },

    onSubmit() {
      void this.verify();
    },

    async verify() {
      const s = state(this);
      // a check under way or a wait still running: the form is left as it is
      if (isBusy(this, 'verify') || this.data.wait > 0) return;
      const number = cleanNumber(this.data.number);
      const code = normaliseCode(this.data.code);
      const numberOk = CERTIFICATE_NUMBER_PATTERN.test(number);
      // typos are caught here, so they never count as wrong tries on the server
      if (!numberOk || code === null) {
        this.setData({ numberError: numberOk ? '' : NUMBER_HINT, codeError: code === null ? CODE_HINT : '' });
        return;
      }
      if (number === s.lockedNumber) return;
      let retryAfter = 0;
      await busyAction(
        this,
        'verify',
        async () => {
          const result = await verifyCertificate(number, code);
          const header = certificateHeader(result);
          this.setData({
            verified: true,
            status: header.status,
            statusTheme: header.statusTheme,
            meaning: header.meaning,
            checkedNumber: header.number,
            issuedAt: header.issuedAt,
            expiresAt: header.expiresAt,
            view: result.snapshot === null ? EMPTY_VIEW : snapshotView(result.snapshot),
            hasSnapshot: result.snapshot !== null,
          });
        },
        {
          start: { verifying: true, error: '', numberError: '', codeError: '' },
          failure: (error) => {
            const failure = toServiceError(error);
            if (failure.code === 'CERTIFICATE_LOCKED') s.lockedNumber = number;
            if (failure.code === 'RATE_LIMITED') retryAfter = failure.details?.retryAfterSeconds ?? 0;
            return { verified: false, error: failure.message, locked: failure.code === 'CERTIFICATE_LOCKED' };
          },
          end: { verifying: false },
        },
      );
      if (retryAfter > 0) this.startCountdown(retryAfter);
    },

    startCountdown(seconds: number) {
      const s = state(this);
      this.stopCountdown();
      s.waitUntilMs = Date.now() + seconds * 1000;
      this.setData({ wait: seconds });
      s.timer = setInterval(() => {
        const left = Math.max(0, Math.ceil((s.waitUntilMs - Date.now()) / 1000));
        if (left === 0) this.stopCountdown();
        this.setData({ wait: left });
      }, 1000);
    },

    stopCountdown() {
      const s = state(this);
      if (s.timer !== null) clearInterval(s.timer);
      s.timer = null;
    },
  },
});
