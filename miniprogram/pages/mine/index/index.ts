// 我的: the account as the server knows it (masked), the driver's own records, settings, the privacy statement and
// signing out of this phone.
import { ROUTES } from '../../../domain/routes';
import { getProfile } from '../../../services/user';
import { errorMessage, toServiceError } from '../../../services/errors';
import { type DatasetEvent } from '../../../utils/events';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { field } from '../../../utils/data-field';
import { careBehavior, careSwitchOn, setCareSwitch } from '../../../utils/care';

type Account = 'unregistered' | 'unverified' | 'verified';

interface Entry {
  readonly key: string;
  readonly title: string;
  readonly description: string;
  readonly icon: string;
  readonly url: string;
}

const RECORDS: readonly Entry[] = [
  {
    key: 'vehicles',
    title: '我的车辆',
    description: '本人车辆和经车主同意使用的车辆',
    icon: 'vehicle',
    url: ROUTES.vehicles,
  },
  { key: 'receipts', title: '缴款记录', description: '处罚决定书和电子缴款凭证', icon: 'wallet', url: ROUTES.receipts },
  {
    key: 'certificates',
    title: '信用证明',
    description: '开具、查看和撤销驾驶人信用证明',
    icon: 'certificate',
    url: ROUTES.certificates,
  },
  {
    key: 'reminders',
    title: '提醒设置',
    description: '新违法、年检、换证和缴款提醒',
    icon: 'notification',
    url: ROUTES.reminders,
  },
];

const SIGN_OUT_CONFIRM =
  '将清除本机保存的设置（如关怀模式）。您的账号、车辆和缴款记录仍保存在交管服务中，再次打开小程序即可继续使用。';

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    account: field<Account>('unverified'),
    name: '',
    idNumber: '',
    records: RECORDS,
    careMode: false,
  },

  methods: {
    onLoad() {
      this.setData({ careMode: careSwitchOn() });
    },

    // back from registration: the account's state may have changed
    onShow() {
      void this.load();
    },

    onRetry() {
      void this.load();
    },

    load(): Promise<void> {
      return loadOnce(
        this,
        async () => {
          const profile = await getProfile();
          this.setData({
            loading: false,
            loadError: '',
            account: profile.verified ? 'verified' : 'unverified',
            name: profile.name ?? '',
            idNumber: profile.idNumber ?? '',
          });
        },
        {
          // not registered yet is a state of the account, shown with the way forward
          failure: (error: unknown) =>
            toServiceError(error).code === 'UNAUTHENTICATED'
              ? { loadError: '', account: 'unregistered' as const }
              : { loadError: errorMessage(error) },
        },
      );
    },

    onVerify() {
      openPage(ROUTES.register);
    },

    onEntry(e: DatasetEvent<{ url: string }>) {
      const url = e.currentTarget.dataset.url ?? '';
      if (url !== '') openPage(url);
    },

    onCareMode(e: { detail: { value: boolean } }) {
      const on = e.detail.value;
      this.setData({ careMode: on, care: setCareSwitch(on) });
    },

    onPrivacy() {
      openPage(ROUTES.privacy);
    },

    onSignOut() {
      wx.showModal({
        title: '退出登录（本机）',
        content: SIGN_OUT_CONFIRM,
        confirmText: '退出',
        confirmColor: '#d54941',
        success: (res) => {
          if (!res.confirm) return;
          wx.clearStorageSync();
          void wx.reLaunch({ url: ROUTES.home });
        },
      });
    },
  },
});
