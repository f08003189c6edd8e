// My cars: own and others' cars with their binding state, outgoing requests, the quota, unbind with confirmation.
import { MAX_OTHER_CARS_PER_DRIVER, otherCarsLeft, otherCarsQuotaText } from '../../../domain/vehicle/quotas';
import { PLATE_TYPE_NAMES } from '../../../domain/vehicle/plate';
import { errorMessage } from '../../../services/errors';
import { getVehicleScreen, unbindVehicle } from '../../../services/vehicle';
import { busyAction } from '../../../utils/busy';
import { type DatasetEvent } from '../../../utils/events';
import { formatDateTime, pageUrl } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import type { BindingRequestStatus, BindingRequestItem } from '../../../domain/vehicle/contract';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

const REQUEST_STATUS_TEXT: Readonly<Record<BindingRequestStatus, string>> = {
  pending: '等待车主授权',
  approved: '车主已授权',
  rejected: '车主已拒绝',
  expired: '已过期（24 小时未授权）',
};

interface CarRow {
  plate: string;
  /** The plate without 桂, for element ids (selectors take ASCII best). */
  slug: string;
  typeName: string;
  description: string;
}

interface RequestRow {
  requestId: string;
  plate: string;
  status: string;
  pending: boolean;
  description: string;
}

const state = instanceState(() => ({ pendingUnbind: '' }));

function requestRow(r: BindingRequestItem): RequestRow {
  const expires = r.status === 'pending' && r.expiresAt !== undefined ? `，${formatDateTime(r.expiresAt)} 前有效` : '';
  return {
    requestId: r.requestId,
    plate: r.plate,
    status: REQUEST_STATUS_TEXT[r.status],
    pending: r.status === 'pending',
    description: `${formatDateTime(r.createdAt)} 申请${expires}`,
  };
}

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    own: [] as CarRow[],
    others: [] as CarRow[],
    requests: [] as RequestRow[],
    quotaLeft: MAX_OTHER_CARS_PER_DRIVER,
    quotaText: '',
    notice: '',
    noticeTheme: field<'error' | 'success'>('error'),
    dialogVisible: false,
    dialogContent: '',
  },

  methods: {
    // onShow: coming back from the bind page must show the new car or request
    onShow() {
      void this.load();
    },

    onRetry() {
      void this.load();
    },

    load(): Promise<void> {
      return loadOnce(this, async () => {
        const { vehicles, requests } = await getVehicleScreen();
        const others = vehicles.filter((v) => v.relation === 'other');
        const quotaLeft = otherCarsLeft(others.length);
        this.setData({
          loading: false,
          loadError: '',
          needsVerify: false,
          own: vehicles
            .filter((v) => v.relation === 'own')
            .map((v) => ({
              plate: v.plate,
              slug: v.plate.slice(1),
              typeName: PLATE_TYPE_NAMES[v.plateType] ?? '',
              description:
                v.inspectionDue === undefined ? '本人名下车辆' : `本人名下车辆 · 年检有效期至 ${v.inspectionDue}`,
            })),
          others: others.map((v) => ({
            plate: v.plate,
            slug: v.plate.slice(1),
            typeName: PLATE_TYPE_NAMES[v.plateType] ?? '',
            description: v.ownerName === undefined ? '车主已授权' : `车主 ${v.ownerName} 已授权`,
          })),
          // approved requests are already in the lists above
          requests: requests.outgoing.filter((r) => r.status !== 'approved').map(requestRow),
          quotaLeft,
          quotaText: otherCarsQuotaText(others.length),
        });
      });
    },

    onBindOwn() {
      openPage(pageUrl(ROUTES.bindVehicle, { mode: 'own' }));
    },

    onBindOther() {
      openPage(pageUrl(ROUTES.bindVehicle, { mode: 'other' }));
    },

    onVerify() {
      openPage(ROUTES.register);
    },

    onViolations(e: DatasetEvent<{ plate: string }>) {
      openPage(pageUrl(ROUTES.violations, { plate: e.currentTarget.dataset.plate }));
    },

    onUnbind(e: DatasetEvent<{ plate: string }>) {
      const plate = e.currentTarget.dataset.plate ?? '';
      state(this).pendingUnbind = plate;
      this.setData({
        dialogVisible: true,
        dialogContent: `解绑后将不能再查询和处理 ${plate} 的违法。他人车辆解绑后如需再绑定，需要车主重新授权。确定解绑吗？`,
      });
    },

    onUnbindCancel() {
      state(this).pendingUnbind = '';
      this.setData({ dialogVisible: false });
    },

    async onUnbindConfirm() {
      const s = state(this);
      const plate = s.pendingUnbind;
      this.setData({ dialogVisible: false });
      if (plate === '') return;
      await busyAction(
        this,
        'unbind',
        async () => {
          await unbindVehicle(plate);
          this.setData({ notice: `已解绑 ${plate}。`, noticeTheme: 'success' });
          await this.load();
        },
        { failure: (error) => ({ notice: errorMessage(error), noticeTheme: 'error' }) },
      );
      s.pendingUnbind = '';
    },

    // a pending request can be shared to the owner again from here (the card opens the owner's request page);
    // the share comes from t-button's inner native button, which carries `custom-dataset` as data-custom
    onShareAppMessage(res: WechatMiniprogram.Page.IShareAppMessageOption): WechatMiniprogram.Page.ICustomShareContent {
      const target = res.target as { dataset?: { custom?: unknown } } | undefined;
      const requestId = target?.dataset?.custom;
      const pending = this.data.requests.find((r) => r.requestId === requestId);
      if (pending === undefined) return { title: '桂A交管 · 电子监控违法网上处理', path: ROUTES.home };
      return {
        title: `请为我授权绑定车辆 ${pending.plate}`,
        path: pageUrl(ROUTES.ownerRequests, { requestId: pending.requestId }),
      };
    },
  },
});
