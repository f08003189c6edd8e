// The owner's page: incoming binding requests (approve with the owner's own face scan, or reject) and the
// non-owner drivers of the owner's cars (revoke). A shared card opens it with `requestId` and lands on that request.
import { errorMessage, toServiceError } from '../../../services/errors';
import { requestFacialVerify } from '../../../services/face';
import {
  approveRequest,
  listBindingRequests,
  rejectRequest,
  revokeBinding,
  startAuthorize,
} from '../../../services/vehicle';
import { busyAction } from '../../../utils/busy';
import { type DatasetEvent } from '../../../utils/events';
import { formatDateTime, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import type { BindingRequestStatus, BindingRequestItem } from '../../../domain/vehicle/contract';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

const STATUS_TEXT: Readonly<Record<BindingRequestStatus, string>> = {
  pending: '待授权',
  approved: '已授权',
  rejected: '已拒绝',
  expired: '已过期',
};

const FACE_TIPS = '请车主本人操作：在光线充足的地方，正对手机，摘下帽子和眼镜，按提示完成动作。';

interface IncomingRow {
  requestId: string;
  plate: string;
  requester: string;
  status: string;
  pending: boolean;
  focused: boolean;
  description: string;
}

interface DriverRow {
  key: string;
  plate: string;
  bindingId: string;
  name: string;
  description: string;
}

type PendingAction = { kind: 'reject'; requestId: string } | { kind: 'revoke'; plate: string; bindingId: string };

/** The request the consent dialog is about: only 同意 on that dialog starts the owner's face scan. */
interface ConsentFor {
  requestId: string;
  plate: string;
}

const state = instanceState(() => ({
  focusId: '',
  pending: null as PendingAction | null,
  consentFor: null as ConsentFor | null,
  /** The incoming requests as the server sent them: the consent dialog reads its expiry from there. */
  incoming: [] as readonly BindingRequestItem[],
}));

function incomingRow(r: BindingRequestItem, focusId: string): IncomingRow {
  const created = formatDateTime(r.createdAt);
  const expires = r.status === 'pending' && r.expiresAt !== undefined ? `，${formatDateTime(r.expiresAt)} 前有效` : '';
  return {
    requestId: r.requestId,
    plate: r.plate,
    requester: r.requesterName ?? '（未提供姓名）',
    status: STATUS_TEXT[r.status],
    pending: r.status === 'pending',
    focused: r.requestId === focusId,
    description: `${created === '' ? '' : `${created} 申请`}${expires}`,
  };
}

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    incoming: [] as IncomingRow[],
    drivers: [] as DriverRow[],
    notice: '',
    noticeTheme: field<'error' | 'success'>('error'),
    faceTips: '',
    dialogVisible: false,
    dialogTitle: '',
    dialogContent: '',
    consentVisible: false,
    // agreeing is the weighty choice: a filled button, not a line of text
    consentAgreeBtn: { content: '同意并刷脸验证', variant: 'base', theme: 'primary', size: 'large' },
    consentCancelBtn: { content: '暂不同意', variant: 'outline', size: 'large' },
    consentRequester: '',
    consentPlate: '',
    consentExpires: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).focusId = queryValue(query, 'requestId');
    },

    onShow() {
      void this.load();
    },

    onRetry() {
      void this.load();
    },

    load(): Promise<void> {
      const s = state(this);
      return loadOnce(this, async () => {
        const requests = await listBindingRequests();
        s.incoming = requests.incoming;
        // the shared request first, then the ones still waiting, newest first as the server sent them
        const incoming = requests.incoming
          .map((r) => incomingRow(r, s.focusId))
          .sort((a, b) => Number(b.focused) - Number(a.focused) || Number(b.pending) - Number(a.pending));
        // The owner's cars by the registry, bound in the app or not: an owner can revoke whoever they authorised.
        const drivers: DriverRow[] = (requests.ownedCars ?? []).flatMap((car) =>
          car.drivers.map((d) => ({
            key: `${car.plate}-${d.bindingId}`,
            plate: car.plate,
            bindingId: d.bindingId,
            name: d.name,
            description: `${formatDateTime(d.since)} 授权绑定`,
          })),
        );
        const missing = s.focusId !== '' && !incoming.some((r) => r.focused);
        this.setData({
          loading: false,
          loadError: '',
          needsVerify: false,
          incoming,
          drivers,
          ...(missing
            ? {
                notice: '没有找到分享给您的这条申请：它可能已处理或已过期，或该车辆不在您的名下。',
                noticeTheme: 'error',
              }
            : {}),
        });
      });
    },

    onVerify() {
      openPage(ROUTES.register);
    },

    // 同意授权 first says what the owner grants, for how long and how to take it back; the scan waits for 同意
    onApprove(e: DatasetEvent<{ requestId: string }>) {
      const s = state(this);
      const request = s.incoming.find((r) => r.requestId === e.currentTarget.dataset.requestId);
      if (request?.status !== 'pending') return;
      s.consentFor = { requestId: request.requestId, plate: request.plate };
      this.setData({
        consentVisible: true,
        consentRequester: request.requesterName ?? '（未提供姓名）',
        consentPlate: request.plate,
        consentExpires: formatDateTime(request.expiresAt),
      });
    },

    onConsentCancel() {
      state(this).consentFor = null;
      this.setData({ consentVisible: false });
    },

    async onConsentAgree() {
      const s = state(this);
      const consent = s.consentFor;
      s.consentFor = null;
      this.setData({ consentVisible: false });
      if (consent !== null) await this.approveWithFace(consent.requestId, consent.plate);
    },

    // approve = the owner's own face scan bound to this request, then approve with that verifyId
    async approveWithFace(requestId: string, plate: string) {
      // An object, not a let: the failure callback sets it, which narrowing across the await cannot see.
      const seen = { expired: false };
      const approved = await busyAction(
        this,
        'decide',
        async () => {
          const { verifyId } = await startAuthorize(requestId);
          await requestFacialVerify(verifyId);
          await approveRequest(requestId, verifyId);
          this.setData({ notice: `已授权，${plate} 已绑定到申请人账号。`, noticeTheme: 'success' });
        },
        {
          start: { notice: '', faceTips: '' },
          failure: (error) => {
            const failure = toServiceError(error);
            const faceFailed =
              ['FACE_VERIFY_FAILED', 'FACE_INTERRUPTED', 'FACE_CANCELLED', 'VERIFY_EXPIRED'].indexOf(failure.code) >= 0;
            seen.expired = failure.code === 'REQUEST_EXPIRED';
            return { notice: failure.message, noticeTheme: 'error', faceTips: faceFailed ? FACE_TIPS : '' };
          },
        },
      );
      // the list as it is now: the request approved, or gone stale meanwhile
      if (approved || seen.expired) await this.load();
    },

    onReject(e: DatasetEvent<{ requestId: string; plate: string; requester: string }>) {
      const { requestId = '', plate = '', requester = '' } = e.currentTarget.dataset;
      state(this).pending = { kind: 'reject', requestId };
      this.setData({
        dialogVisible: true,
        dialogTitle: '拒绝绑定申请',
        dialogContent: `拒绝 ${requester} 绑定 ${plate} 的申请吗？`,
      });
    },

    onRevoke(e: DatasetEvent<{ plate: string; bindingId: string; name: string }>) {
      const { plate = '', bindingId = '', name = '' } = e.currentTarget.dataset;
      state(this).pending = { kind: 'revoke', plate, bindingId };
      this.setData({
        dialogVisible: true,
        dialogTitle: '解除授权',
        dialogContent: `解除后 ${name} 将不能再查询和处理 ${plate} 的违法。确定解除吗？`,
      });
    },

    onDialogCancel() {
      state(this).pending = null;
      this.setData({ dialogVisible: false });
    },

    async onDialogConfirm() {
      const s = state(this);
      const pending = s.pending;
      s.pending = null;
      this.setData({ dialogVisible: false });
      if (pending === null) return;
      const done = await busyAction(
        this,
        'decide',
        async () => {
          if (pending.kind === 'reject') {
            await rejectRequest(pending.requestId);
            this.setData({ notice: '已拒绝该申请。', noticeTheme: 'success', faceTips: '' });
          } else {
            await revokeBinding(pending.plate, pending.bindingId);
            this.setData({ notice: `已解除对 ${pending.plate} 的授权。`, noticeTheme: 'success', faceTips: '' });
          }
        },
        { failure: (error) => ({ notice: errorMessage(error), noticeTheme: 'error' }) },
      );
      if (done) await this.load();
    },
  },
});
