// Bind a car: one's own, picked from the registry's list or typed (bindOwn), or someone else's (requestBinding,
// then the owner authorises by face scan).
import { MAX_OTHER_CARS_PER_DRIVER, otherCarsLeft, otherCarsQuotaText } from '../../../domain/vehicle/quotas';
import { isCompletePlate, PLATE_PREFIX, PLATE_TYPE_NAMES, type PlateType } from '../../../domain/vehicle/plate';
import { errorMessage } from '../../../services/errors';
import { bindOwnVehicle, listOwnCars, listVehicles, requestBinding } from '../../../services/vehicle';
import type { OwnCarItem } from '../../../domain/vehicle/contract';
import { busyAction, isBusy } from '../../../utils/busy';
import {
  type DatasetEvent,
  type DetailEvent,
  type InputChangeEvent,
  type ValueChangeEvent,
} from '../../../utils/events';
import { formatDateTime, pageUrl, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { goBack, openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { askOutcomeNotice, askReminders } from '../../../utils/subscribe';
import { PERSON_NAME } from '../../../domain/account/person-name';
import { checkString } from '../../../domain/core/fields';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

type Mode = 'own' | 'other';

const PLATE_TYPE_OPTIONS = (['02', '52'] as const).map((value) => ({
  value,
  label: `${PLATE_TYPE_NAMES[value] ?? value}（${value === '02' ? '蓝牌 7 位' : '绿牌 8 位'}）`,
}));

interface OwnCarRow {
  plate: string;
  /** The plate without 桂, for element ids (selectors take ASCII best). */
  slug: string;
  typeName: string;
  bound: boolean;
}

const state = instanceState(() => ({ requestId: '', ownCars: [] as readonly OwnCarItem[] }));

function ownCarRow(car: OwnCarItem): OwnCarRow {
  return {
    plate: car.plate,
    slug: car.plate.slice(1),
    typeName: `${PLATE_TYPE_NAMES[car.plateType] ?? ''} · ${car.plateType === '02' ? '蓝牌' : '绿牌'}`,
    bound: car.bound,
  };
}

function quotaText(bound: number): string {
  // on the request form the way on matters: unbind one of them first
  return otherCarsLeft(bound) > 0 ? otherCarsQuotaText(bound) : `${otherCarsQuotaText(bound)}，请先解绑一辆再申请`;
}

Component({
  behaviors: [careBehavior],
  data: {
    mode: field<Mode>('own'),
    plateTypeOptions: PLATE_TYPE_OPTIONS,
    plateType: field<PlateType>('02'),
    plate: PLATE_PREFIX,
    plateComplete: false,
    ownerName: '',
    ownerNameError: '',
    /** The registry's cars in the caller's name (mode own); null until they are loaded. */
    ownCars: null as OwnCarRow[] | null,
    ownCarsError: '',
    /** A one-tap bind from the list that the server refused: shown under the list, where the tap was. */
    listNotice: '',
    /** null until the cars are loaded (mode other). */
    quotaLeft: null as number | null,
    quotaText: '',
    submitting: false,
    notice: '',
    /** Set once done: 'bound' (own car) or 'requested' (someone else's car, waiting for the owner). */
    done: field<'' | 'bound' | 'requested'>(''),
    /** When the request lapses unless the owner agrees, as the server set it. */
    expiresText: '',
    remindNotice: '',
    remindTheme: field<'success' | 'info' | 'error'>('info'),
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const mode: Mode = queryValue(query, 'mode') === 'other' ? 'other' : 'own';
      void wx.setNavigationBarTitle({ title: mode === 'other' ? '绑定他人车辆' : '绑定本人车辆' });
      this.setData({ mode });
      if (mode === 'other') void this.loadQuota();
      else void this.loadOwnCars();
    },

    async loadOwnCars() {
      try {
        const cars = await listOwnCars();
        state(this).ownCars = cars;
        this.setData({ ownCars: cars.map(ownCarRow), ownCarsError: '' });
      } catch (error: unknown) {
        this.setData({ ownCars: [], ownCarsError: errorMessage(error) });
      }
    },

    // one tap binds a car the registry already lists in the caller's name: nothing to type, nothing to mistype
    async onBindListed(e: DatasetEvent<{ plate: string }>) {
      const car = state(this).ownCars.find((c) => c.plate === e.currentTarget.dataset.plate);
      if (car === undefined || car.bound) return;
      await busyAction(
        this,
        'submit',
        async () => {
          await bindOwnVehicle(car.plate, car.plateType);
          this.setData({ plate: car.plate, plateType: car.plateType, done: 'bound' });
        },
        {
          start: { submitting: true, listNotice: '' },
          failure: (error) => ({ listNotice: errorMessage(error) }),
          end: { submitting: false },
        },
      );
    },

    async loadQuota() {
      try {
        const vehicles = await listVehicles();
        const bound = vehicles.filter((v) => v.relation === 'other').length;
        this.setData({ quotaLeft: otherCarsLeft(bound), quotaText: quotaText(bound) });
      } catch (error: unknown) {
        this.setData({ notice: errorMessage(error) });
      }
    },

    onPlateType(e: ValueChangeEvent<PlateType>) {
      const plateType: PlateType = e.detail.value === '52' ? '52' : '02';
      // the keyboard trims the plate to what the new type allows and reports it through onPlate
      this.setData({ plateType, plateComplete: isCompletePlate(plateType, this.data.plate) });
    },

    onPlate(e: DetailEvent<{ value: string; complete: boolean }>) {
      this.setData({ plate: e.detail.value, plateComplete: e.detail.complete, notice: '' });
    },

    onOwnerName(e: InputChangeEvent) {
      this.setData({ ownerName: e.detail.value, ownerNameError: '' });
    },

    async onSubmit() {
      // a tap while sending leaves the form's hints as they are
      if (isBusy(this, 'submit')) return;
      const { mode, plate, plateType } = this.data;
      if (!isCompletePlate(plateType, plate)) {
        this.setData({ notice: '请用号牌键盘把号牌号码填写完整。' });
        return;
      }
      let ownerName = '';
      if (mode === 'other') {
        try {
          ownerName = checkString(this.data.ownerName, PERSON_NAME, 'ownerName');
        } catch (error: unknown) {
          this.setData({ ownerNameError: error instanceof Error ? error.message : (PERSON_NAME.message ?? '') });
          return;
        }
        if (this.data.quotaLeft === 0) {
          this.setData({ notice: quotaText(MAX_OTHER_CARS_PER_DRIVER) });
          return;
        }
      }
      await busyAction(
        this,
        'submit',
        async () => {
          if (mode === 'own') {
            await bindOwnVehicle(plate, plateType);
            this.setData({ done: 'bound' });
          } else {
            const { requestId, expiresAt } = await requestBinding(plate, plateType, ownerName);
            state(this).requestId = requestId;
            this.setData({ done: 'requested', expiresText: formatDateTime(expiresAt) });
          }
        },
        {
          start: { submitting: true, notice: '' },
          failure: (error) => ({ notice: errorMessage(error) }),
          end: { submitting: false },
        },
      );
    },

    // A button of its own on the success state, not the bind tap: the panel opens from this fresh tap as WeChat requires,
    // and only once the car is bound (a refused bind would have asked for nothing).
    onRemind() {
      void askReminders(['newViolation', 'inspectionDue']).then((outcome) => {
        const notice = askOutcomeNotice(outcome);
        this.setData({ remindNotice: notice.text, remindTheme: notice.theme });
      });
    },

    onBackToList() {
      goBack(ROUTES.vehicles);
    },

    onViolations() {
      openPage(pageUrl(ROUTES.violations, { plate: this.data.plate }));
    },

    // the card opens the owner's request page on that request; the owner approves there with a face scan
    onShareAppMessage(): WechatMiniprogram.Page.ICustomShareContent {
      const { requestId } = state(this);
      if (requestId === '') return { title: '桂A交管 · 电子监控违法网上处理', path: ROUTES.home };
      return {
        title: `请为我授权绑定车辆 ${this.data.plate}`,
        path: pageUrl(ROUTES.ownerRequests, { requestId }),
      };
    },
  },
});
