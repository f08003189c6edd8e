// Offices: nearest first when the user lets us use their location (GCJ-02), else by name; navigation with WeChat's map.
import { type OfficeService, OFFICE_SERVICES, OFFICE_SERVICE_NAMES } from '../../../domain/guide/offices';
import type { OfficeItem } from '../../../domain/guide/contract';
import { listOffices } from '../../../services/guide';
import { type DatasetEvent } from '../../../utils/events';
import { queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { loadMessage } from '../../../utils/load-failure';
import { askLocationPermission, currentLocation, openMap } from '../../../utils/location';
import { careBehavior } from '../../../utils/care';

const NOTES: Readonly<Record<'denied' | 'unavailable', string>> = {
  denied: '您未允许使用位置信息，网点按名称排序。允许后可按距离由近到远排列。',
  unavailable: '暂时无法获取您的位置，网点按名称排序。',
};

const state = instanceState(() => ({
  service: undefined as OfficeService | undefined,
  offices: [] as readonly OfficeItem[],
}));

function serviceOf(text: string): OfficeService | undefined {
  return OFFICE_SERVICES.find((s) => s === text);
}

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    filterText: '',
    locationNote: '',
    canAskPermission: false,
    sortedText: '',
    offices: [] as {
      officeId: string;
      name: string;
      address: string;
      hours: string;
      services: string;
      distance: string;
      phone: string;
    }[],
    notice: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const service = serviceOf(queryValue(query, 'service'));
      state(this).service = service;
      if (service !== undefined) this.setData({ filterText: `只显示可办理“${OFFICE_SERVICE_NAMES[service]}”的网点` });
      void this.load();
    },

    onPullDownRefresh() {
      void this.load().then(() => wx.stopPullDownRefresh());
    },

    onRetry() {
      void this.load();
    },

    async onAllowLocation() {
      if (await askLocationPermission()) await this.load();
    },

    load(): Promise<void> {
      const s = state(this);
      return loadOnce(
        this,
        async () => {
          // never rejects (no location is a note above the list): only the office list can fail the load
          const where = await currentLocation();
          const result = await listOffices({
            ...(where.ok ? where.location : {}),
            ...(s.service === undefined ? {} : { service: s.service }),
          });
          s.offices = result.offices;
          this.setData({
            loading: false,
            locationNote: where.ok ? '' : NOTES[where.reason],
            canAskPermission: !where.ok && where.reason === 'denied',
            sortedText: result.sortedBy === 'distance' ? '按离您的距离由近到远排列' : '按网点名称排列',
            offices: result.offices.map((o) => ({
              officeId: o.officeId,
              name: o.name,
              address: o.address,
              hours: o.hours,
              services: o.services.map((code) => OFFICE_SERVICE_NAMES[code]).join('、'),
              distance: o.distanceText,
              phone: o.phone ?? '',
            })),
          });
        },
        { start: { loading: true, loadError: '', notice: '' }, failure: loadMessage },
      );
    },

    async onNavigate(e: DatasetEvent<{ officeId: string }>) {
      const office = state(this).offices.find((o) => o.officeId === e.currentTarget.dataset.officeId);
      if (office === undefined) return;
      const opened = await openMap({
        latitude: office.latitude,
        longitude: office.longitude,
        name: office.name,
        address: office.address,
      });
      this.setData({ notice: opened ? '' : '暂时无法打开地图，请稍后重试，或按地址自行前往。' });
    },
  },
});
