// One certificate of the driver: the snapshot, the number and the code to hand over, save as image, share, revoke.
import { getCertificate, revokeCertificate } from '../../../services/certificate';
import { errorMessage } from '../../../services/errors';
import { busyAction } from '../../../utils/busy';
import { formatDateTime, pageUrl, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { certificateHeader, snapshotView, type SnapshotView, type StatusTheme } from '../snapshot';
import { certificateImage } from './image';
import { saveCertificateImage, SaveImageError } from './save-image';
import type { CertificateDetail } from '../../../domain/certificate/contract';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

const CANVAS = '#certificate-canvas';

const state = instanceState(() => ({
  number: '',
  certificate: null as CertificateDetail | null,
}));

type NoticeTheme = 'success' | 'info' | 'error';

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    number: '',
    code: '',
    status: '',
    statusTheme: field<StatusTheme>('success'),
    meaning: '',
    issuedAt: '',
    expiresAt: '',
    revokedAt: '',
    valid: false,
    view: field<SnapshotView>({ rows: [], violations: '', kinds: [], note: '' }),
    saving: false,
    /** The canvas is rendered only while an image is made (and off screen): nothing to lay out otherwise. */
    drawing: false,
    canvasWidth: 0,
    canvasHeight: 0,
    revoking: false,
    revokeDialog: false,
    albumDialog: false,
    notice: '',
    noticeTheme: field<NoticeTheme>('info'),
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.number = queryValue(query, 'number');
      if (s.number === '') {
        this.setData({ loading: false, loadError: '没有找到这份信用证明，请从“我的信用证明”进入。' });
        return;
      }
      void this.load();
    },

    onRetry() {
      void this.load();
    },

    load(): Promise<void> {
      const s = state(this);
      return loadOnce(this, async () => {
        this.show(await getCertificate(s.number));
        this.setData({ loading: false, loadError: '', needsVerify: false });
      });
    },

    show(certificate: CertificateDetail) {
      state(this).certificate = certificate;
      const header = certificateHeader(certificate);
      this.setData({
        number: header.number,
        code: certificate.code,
        status: header.status,
        statusTheme: header.statusTheme,
        meaning: header.meaning,
        issuedAt: header.issuedAt,
        expiresAt: header.expiresAt,
        revokedAt: certificate.revokedAt === undefined ? '' : formatDateTime(certificate.revokedAt),
        valid: certificate.status === 'valid',
        view: snapshotView(certificate.snapshot),
      });
    },

    onSaveImage() {
      const { certificate } = state(this);
      if (certificate === null) return;
      void busyAction(
        this,
        'save',
        async () => {
          const image = certificateImage(certificate);
          // the canvas is drawn once it is on screen: the patch's own render callback says when
          await new Promise<void>((rendered) =>
            this.setData(
              { saving: true, drawing: true, canvasWidth: image.width, canvasHeight: image.height, notice: '' },
              rendered,
            ),
          );
          await saveCertificateImage(this, CANVAS, image);
          this.setData({ notice: '已保存到手机相册，可发送给需要核验的单位。', noticeTheme: 'success' });
        },
        {
          failure: (error) => {
            const reason = error instanceof SaveImageError ? error.reason : 'failed';
            if (reason === 'denied') return { albumDialog: true };
            if (reason === 'cancelled') return {};
            return { notice: '图片保存失败，请稍后重试，或截屏保存。', noticeTheme: 'error' };
          },
          end: { saving: false, drawing: false },
        },
      );
    },

    // wx.openSetting must be called from a tap too: the dialog's button is that tap
    onOpenSetting() {
      this.setData({ albumDialog: false });
      wx.openSetting({ fail: () => undefined });
    },

    onAlbumCancel() {
      this.setData({ albumDialog: false, notice: '未获得相册权限，图片未保存。', noticeTheme: 'info' });
    },

    onRevoke() {
      this.setData({ revokeDialog: true });
    },

    onRevokeCancel() {
      this.setData({ revokeDialog: false });
    },

    async onRevokeConfirm() {
      const s = state(this);
      this.setData({ revokeDialog: false });
      const shown = s.certificate;
      if (shown === null) return;
      await busyAction(
        this,
        'revoke',
        async () => {
          const item = await revokeCertificate(s.number);
          this.show({ ...shown, ...item });
          this.setData({ notice: '证明已撤销，单位将无法再核验通过。', noticeTheme: 'success' });
        },
        {
          start: { revoking: true, notice: '' },
          failure: (error) => ({ notice: errorMessage(error), noticeTheme: 'error' }),
          end: { revoking: false },
        },
      );
    },

    onList() {
      openPage(ROUTES.certificates);
    },

    onVerify() {
      openPage(ROUTES.register);
    },

    // the card opens the public verify page with the number and the code filled in: the employer just looks
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      const { certificate } = state(this);
      if (certificate === null) return { title: '桂A交管 · 驾驶人信用证明核验', path: ROUTES.verifyCertificate };
      return {
        title: `驾驶人信用证明 ${certificate.number}，请核验`,
        path: pageUrl(ROUTES.verifyCertificate, { number: certificate.number, code: certificate.code }),
      };
    },
  },
});
