// Tow query: pick one of my bound cars, see whether and where the police towed it, navigate to the yard.
import { formatYuan } from '../../../domain/violation/fees';
import { errorMessage } from '../../../services/errors';
import { queryTow } from '../../../services/tow';
import { listVehicles } from '../../../services/vehicle';
import { type ValueChangeEvent } from '../../../utils/events';
import { formatDateTime } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { openMap } from '../../../utils/location';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import type { TowView } from '../../../domain/tow/contract';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

const state = instanceState(() => ({ query: 0, tow: null as TowView | null }));

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    cars: [] as { label: string; value: string }[],
    plate: '',
    querying: false,
    queryError: '',
    /** '' until a car has been looked up; then 'towed' or 'none'. */
    outcome: field<'' | 'towed' | 'none'>(''),
    tow: { towedAt: '', yardName: '', yardAddress: '', fee: '', yardHours: '', yardPhone: '' },
    notice: '',
  },

  methods: {
    onLoad() {
      void this.load();
    },

    onRetry() {
      void this.load();
    },

    load(): Promise<void> {
      return loadOnce(
        this,
        async () => {
          const vehicles = await listVehicles();
          const cars = vehicles.map((v) => ({
            label: `${v.plate}（${v.relation === 'own' ? '本人车辆' : '他人车辆'}）`,
            value: v.plate,
          }));
          this.setData({ loading: false, needsVerify: false, cars });
          const first = cars[0];
          if (first !== undefined) await this.look(first.value);
        },
        { start: { loading: true, loadError: '' } },
      );
    },

    onCar(e: ValueChangeEvent<string>) {
      void this.look(e.detail.value);
    },

    async look(plate: string) {
      const s = state(this);
      const query = (s.query += 1);
      s.tow = null;
      this.setData({ plate, querying: true, queryError: '', outcome: '', notice: '' });
      try {
        const tow = await queryTow(plate);
        // a newer choice of car has been made meanwhile: its answer is the one to show
        if (query !== s.query) return;
        s.tow = tow;
        if (tow === null) {
          this.setData({ querying: false, outcome: 'none' });
          return;
        }
        this.setData({
          querying: false,
          outcome: 'towed',
          tow: {
            towedAt: formatDateTime(tow.towedAt),
            yardName: tow.yardName,
            yardAddress: tow.yardAddress,
            fee: formatYuan(tow.fee),
            yardHours: tow.yardHours,
            yardPhone: tow.yardPhone,
          },
        });
      } catch (error: unknown) {
        if (query === s.query) this.setData({ querying: false, queryError: errorMessage(error) });
      }
    },

    onRequery() {
      void this.look(this.data.plate);
    },

    async onNavigate() {
      const tow = state(this).tow;
      if (tow === null) return;
      const opened = await openMap({
        latitude: tow.latitude,
        longitude: tow.longitude,
        name: tow.yardName,
        address: tow.yardAddress,
      });
      this.setData({ notice: opened ? '' : '暂时无法打开地图，请稍后重试，或按地址自行前往。' });
    },

    onCall() {
      const tow = state(this).tow;
      if (tow === null) return;
      try {
        wx.makePhoneCall({ phoneNumber: tow.yardPhone, fail: () => undefined });
      } catch {
        // no phone in this host (the browser preview): the number is on screen
      }
    },

    onBindCar() {
      openPage(ROUTES.vehicles);
    },

    onVerify() {
      openPage(ROUTES.register);
    },
  },
});
