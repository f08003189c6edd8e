// Home: what needs doing first (from one server summary), then the driver's state and every service.
import { ROUTES } from '../../../domain/routes';
import { forgetAnswers } from '../../../services/cache';
import { getHome } from '../../../services/user';
import { errorMessage, toServiceError } from '../../../services/errors';
import { type DatasetEvent } from '../../../utils/events';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { field } from '../../../utils/data-field';
import { CITY_SERVICES } from './city-services';
import { todoRows, type TodoRow } from './todos';
import { careBehavior } from '../../../utils/care';

interface ServiceEntry {
  readonly key: string;
  readonly text: string;
  readonly icon: string;
  /** Empty for services of later releases, shown as "即将上线". */
  readonly url: string;
}

const SERVICES: readonly ServiceEntry[] = [
  { key: 'register', text: '实名认证', icon: 'user-safety', url: ROUTES.register },
  { key: 'vehicles', text: '我的车辆', icon: 'vehicle', url: ROUTES.vehicles },
  { key: 'requests', text: '车主授权', icon: 'secured', url: ROUTES.ownerRequests },
  { key: 'violations', text: '违法处理', icon: 'traffic-events', url: ROUTES.violations },
  { key: 'receipts', text: '缴款记录', icon: 'wallet', url: ROUTES.receipts },
  { key: 'licence', text: '驾驶证记分', icon: 'card', url: ROUTES.licence },
];

/** Every planned service is live now; an entry with an empty url here would show as "即将上线". */
const COMING_SOON: readonly ServiceEntry[] = [];

type Stage = 'unregistered' | 'unverified' | 'verified';

const NEXT_STEP: Readonly<Record<Stage, string>> = {
  unregistered: '注册并完成实名认证、人脸识别后，即可绑定车辆、在线处理违法。',
  unverified: '请完成实名认证和人脸识别，之后即可绑定车辆、在线处理违法。',
  verified: '',
};

/** Not registered yet is a stage of the home page, not an error; anything else is the service's sentence. */
function summaryFailure(error: unknown): { loadError: string; stage?: Stage; nextStep?: string } {
  return toServiceError(error).code === 'UNAUTHENTICATED'
    ? { loadError: '', stage: 'unregistered', nextStep: NEXT_STEP.unregistered }
    : { loadError: errorMessage(error) };
}

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    stage: field<Stage>('unverified'),
    name: '',
    nextStep: '',
    todos: [] as TodoRow[],
    cars: [] as { plate: string; relation: string }[],
    carCount: 0,
    carsUnavailable: false,
    hasLicence: false,
    cyclePoints: 0,
    services: SERVICES,
    cityServices: CITY_SERVICES,
    comingSoon: COMING_SOON,
    notice: '',
  },

  methods: {
    // onShow rather than onLoad: coming back from paying, registering or binding must show the new state; an
    // unchanged return within a minute is answered from the services' cache without a call
    onShow() {
      void this.load();
    },

    onRetry() {
      void this.load();
    },

    onPullDownRefresh() {
      forgetAnswers();
      void this.load().then(() => wx.stopPullDownRefresh());
    },

    load(): Promise<void> {
      return loadOnce(
        this,
        async () => {
          const summary = await getHome();
          if (summary.stage !== 'verified') {
            this.setData({ loading: false, loadError: '', stage: 'unverified', nextStep: NEXT_STEP.unverified });
            return;
          }
          this.setData({
            loading: false,
            loadError: '',
            stage: 'verified',
            name: summary.name ?? '',
            nextStep: '',
            todos: todoRows(summary),
            cars: summary.cars.map((c) => ({
              plate: c.plate,
              relation: c.relation === 'own' ? '本人车辆' : '他人车辆',
            })),
            carCount: summary.carCount,
            carsUnavailable: summary.unavailable.includes('cars'),
            hasLicence: summary.licence !== null,
            cyclePoints: summary.licence === null ? 0 : summary.licence.cyclePoints,
          });
        },
        { failure: summaryFailure },
      );
    },

    onTodo(e: DatasetEvent<{ url: string }>) {
      const url = e.currentTarget.dataset.url ?? '';
      if (url === '') {
        forgetAnswers();
        void this.load();
      } else openPage(url);
    },

    onService(e: DatasetEvent<{ url: string }>) {
      const url = e.currentTarget.dataset.url ?? '';
      if (url === '') {
        this.setData({ notice: '该服务即将上线，敬请期待。' });
        return;
      }
      this.setData({ notice: '' });
      openPage(url);
    },

    onMine() {
      openPage(ROUTES.mine);
    },

    onVerify() {
      openPage(ROUTES.register);
    },

    onCars() {
      openPage(ROUTES.vehicles);
    },

    onLicence() {
      openPage(ROUTES.licence);
    },
  },
});
