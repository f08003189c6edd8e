// The driver's credit certificates (newest first) with their status, and asking for a new one.
import { CERTIFICATE_STATUS_TEXT, CERTIFICATE_VALID_DAYS } from '../../../domain/certificate/certificate';
import { issueCertificate, listCertificates } from '../../../services/certificate';
import { errorMessage } from '../../../services/errors';
import { busyAction } from '../../../utils/busy';
import { type DatasetEvent } from '../../../utils/events';
import { formatDateTime, pageUrl } from '../../../utils/format';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { STATUS_THEME } from '../snapshot';
import type { CertificateItem } from '../../../domain/certificate/contract';
import { careBehavior } from '../../../utils/care';

interface CertificateRow {
  number: string;
  status: string;
  theme: string;
  dates: string;
}

function toRow(item: CertificateItem): CertificateRow {
  return {
    number: item.number,
    status: CERTIFICATE_STATUS_TEXT[item.status],
    theme: STATUS_THEME[item.status],
    dates: `签发 ${formatDateTime(item.issuedAt)} · 有效期至 ${formatDateTime(item.expiresAt)}`,
  };
}

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    certificates: [] as CertificateRow[],
    validDays: CERTIFICATE_VALID_DAYS,
    issuing: false,
    notice: '',
  },

  methods: {
    // onShow: coming back from a certificate that was just revoked must show it revoked
    onShow() {
      void this.load();
    },

    onRetry() {
      void this.load();
    },

    load(): Promise<void> {
      return loadOnce(this, async () => {
        const certificates = await listCertificates();
        this.setData({ loading: false, loadError: '', needsVerify: false, certificates: certificates.map(toRow) });
      });
    },

    async onIssue() {
      await busyAction(
        this,
        'issue',
        async () => {
          const certificate = await issueCertificate();
          openPage(pageUrl(ROUTES.certificate, { number: certificate.number }));
        },
        {
          start: { issuing: true, notice: '' },
          failure: (error) => ({ notice: errorMessage(error) }),
          end: { issuing: false },
        },
      );
    },

    onOpen(e: DatasetEvent<{ number: string }>) {
      const number = e.currentTarget.dataset.number ?? '';
      if (number !== '') openPage(pageUrl(ROUTES.certificate, { number }));
    },

    onVerifyPage() {
      openPage(ROUTES.verifyCertificate);
    },

    onVerify() {
      openPage(ROUTES.register);
    },
  },
});
