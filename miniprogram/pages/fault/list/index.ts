// My fault reports: each with its type, place, status and the police's latest note; one tap to its progress.
import { myFaults } from '../../../services/fault';
import { type DatasetEvent } from '../../../utils/events';
import { formatDateTime, pageUrl } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { placeText, statusTag, typeName, type TagTheme } from '../status';
import type { FaultItem } from '../../../domain/fault/contract';
import { careBehavior } from '../../../utils/care';

interface Row {
  reportId: string;
  title: string;
  description: string;
  statusName: string;
  statusTheme: TagTheme;
}

function row(item: FaultItem): Row {
  const note = item.note === '' ? '' : ` · 处理说明：${item.note}`;
  return {
    reportId: item.reportId,
    title: `${typeName(item.type)} · ${placeText(item.place)}`,
    description: `${formatDateTime(item.createdAt)} 提交${item.photoCount > 0 ? ` · ${item.photoCount} 张照片` : ''}${note}`,
    ...statusTag(item.status),
  };
}

const state = instanceState(() => ({ loaded: false }));

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    reports: [] as Row[],
  },

  methods: {
    onLoad() {
      void this.load();
    },

    // back from a report's page or a new report: the list may have changed
    onShow() {
      if (state(this).loaded) void this.load();
    },

    onPullDownRefresh() {
      void this.load().then(() => wx.stopPullDownRefresh());
    },

    onRetry() {
      void this.load();
    },

    load(): Promise<void> {
      const s = state(this);
      return loadOnce(
        this,
        async () => {
          const items = await myFaults();
          s.loaded = true;
          this.setData({ loading: false, needsVerify: false, reports: items.map(row) });
        },
        { start: { loading: !s.loaded, loadError: '' } },
      );
    },

    onOpen(e: DatasetEvent<{ reportId: string }>) {
      const reportId = e.currentTarget.dataset.reportId;
      if (reportId !== undefined) openPage(pageUrl(ROUTES.faultDetail, { reportId }));
    },

    onReport() {
      openPage(ROUTES.faultReport);
    },

    onVerify() {
      openPage(ROUTES.register);
    },
  },
});
