// One of my fault reports: where, what, the photos, its status with each step and the police's notes; navigation to
// the place. Opened from the list or right after reporting.
import { faultDetail } from '../../../services/fault';
import { type DatasetEvent } from '../../../utils/events';
import { formatDateTime, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { openMap } from '../../../utils/location';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { placeText, statusTag, typeName, type TagTheme } from '../status';
import type { FaultDetail } from '../../../domain/fault/contract';
import { careBehavior } from '../../../utils/care';

interface View {
  typeName: string;
  statusName: string;
  statusTheme: TagTheme;
  place: string;
  address: string;
  description: string;
  note: string;
  createdAt: string;
  /** Photos that could be found: their temporary URLs. */
  photos: string[];
  missingPhotos: number;
  steps: { key: string; title: string; time: string; note: string }[];
}

function view(report: FaultDetail): View {
  const urls = report.photos.map((p) => p.url).filter((url) => url !== '');
  return {
    typeName: typeName(report.type),
    ...statusTag(report.status),
    place: placeText(report.name || report.address, report.latitude, report.longitude),
    address: report.name !== '' && report.address !== '' ? report.address : '',
    description: report.description,
    note: report.note,
    createdAt: formatDateTime(report.createdAt),
    photos: urls,
    missingPhotos: report.photos.length - urls.length,
    // newest first, as a timeline reads
    steps: report.history
      .map((h, i) => ({ key: `${i}`, title: statusTag(h.status).statusName, time: formatDateTime(h.at), note: h.note }))
      .reverse(),
  };
}

const state = instanceState(() => ({ reportId: '', report: null as FaultDetail | null }));

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    report: null as View | null,
    notice: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).reportId = queryValue(query, 'reportId');
      void this.load();
    },

    onPullDownRefresh() {
      void this.load().then(() => wx.stopPullDownRefresh());
    },

    onRetry() {
      void this.load();
    },

    async load(): Promise<void> {
      const s = state(this);
      // reportId is set once in onLoad, before any load: none can be under way when it is empty
      if (s.reportId === '') {
        this.setData({ loading: false, loadError: '未找到该报障记录。' });
        return;
      }
      return loadOnce(
        this,
        async () => {
          const report = await faultDetail(s.reportId);
          s.report = report;
          this.setData({ loading: false, needsVerify: false, report: view(report) });
        },
        { start: { loading: s.report === null, loadError: '' } },
      );
    },

    async onNavigate() {
      const report = state(this).report;
      if (report === null) return;
      const name = report.name || `${typeName(report.type)}报障位置`;
      const opened = await openMap({
        latitude: report.latitude,
        longitude: report.longitude,
        name,
        address: report.address,
      });
      this.setData({ notice: opened ? '' : '暂时无法打开地图，请稍后重试。' });
    },

    onPreview(e: DatasetEvent<{ url: string }>) {
      const current = e.currentTarget.dataset.url;
      const urls = this.data.report?.photos ?? [];
      if (current === undefined) return;
      try {
        wx.previewImage({ current, urls, fail: () => undefined });
      } catch {
        // a host without the image viewer (the browser preview): the photo is already on screen
      }
    },

    onVerify() {
      openPage(ROUTES.register);
    },
  },
});
