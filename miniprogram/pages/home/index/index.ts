// Home: the driver's state at a glance (verified, cars, processable violations, cycle points) and every service.
import { formatYuan } from '../../../domain/violation/fees';
import { getProfile } from '../../../services/user';
import { listVehicles } from '../../../services/vehicle';
import { listViolations } from '../../../services/violation';
import { errorMessage, toServiceError } from '../../../services/errors';
import { type DatasetEvent } from '../../../utils/events';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { CITY_SERVICES } from './city-services';
import { field } from '../../../utils/data-field';
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

/** The home page lists a few cars; the rest are one tap away on "我的车辆". */
const CARS_SHOWN = 3;

type Stage = 'unregistered' | 'unverified' | 'verified';

const NEXT_STEP: Readonly<Record<Stage, string>> = {
  unregistered: '注册并完成实名认证、人脸识别后，即可绑定车辆、在线处理违法。',
  unverified: '请完成实名认证和人脸识别，之后即可绑定车辆、在线处理违法。',
  verified: '',
};

/** Not registered yet is a stage of the home page, not an error; anything else is the service's sentence. */
function profileFailure(error: unknown): { loadError: string; stage?: Stage; nextStep?: string } {
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
    cars: [] as { plate: string; relation: string }[],
    carCount: 0,
    carsError: '',
    violationCount: 0,
    violationTotal: formatYuan(0),
    violationsError: '',
    hasLicence: false,
    cyclePoints: 0,
    services: SERVICES,
    cityServices: CITY_SERVICES,
    comingSoon: COMING_SOON,
    notice: '',
  },

  methods: {
    // onShow rather than onLoad: coming back from registration or binding must show the new state
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
          if (!profile.verified) {
            this.setData({ loading: false, loadError: '', stage: 'unverified', nextStep: NEXT_STEP.unverified });
            return;
          }
          const licence = profile.licence;
          this.setData({
            stage: 'verified',
            name: profile.name ?? '',
            nextStep: '',
            hasLicence: licence !== null,
            cyclePoints: licence === null ? 0 : licence.cyclePoints,
          });
          // each section fails on its own: a slow violation registry must not hide the cars
          await Promise.all([this.loadCars(), this.loadViolations()]);
          this.setData({ loading: false, loadError: '' });
        },
        { failure: profileFailure },
      );
    },

    async loadCars() {
      try {
        const vehicles = await listVehicles();
        this.setData({
          cars: vehicles
            .slice(0, CARS_SHOWN)
            .map((v) => ({ plate: v.plate, relation: v.relation === 'own' ? '本人车辆' : '他人车辆' })),
          carCount: vehicles.length,
          carsError: '',
        });
      } catch (error: unknown) {
        this.setData({ carsError: errorMessage(error) });
      }
    },

    async loadViolations() {
      try {
        const { violations } = await listViolations();
        const processable = violations.filter((v) => v.processable);
        const total = processable.reduce((sum, v) => sum + v.fine + v.surcharge, 0);
        this.setData({ violationCount: processable.length, violationTotal: formatYuan(total), violationsError: '' });
      } catch (error: unknown) {
        this.setData({ violationsError: errorMessage(error) });
      }
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

    onVerify() {
      openPage(ROUTES.register);
    },

    onCars() {
      openPage(ROUTES.vehicles);
    },

    onViolations() {
      openPage(ROUTES.violations);
    },

    onLicence() {
      openPage(ROUTES.licence);
    },
  },
});
