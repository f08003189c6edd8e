// Guides: what to bring and where to go for what cannot be done online (renewal, inspection, disputes, points study).
import { listGuides } from '../../../services/guide';
import { type DatasetEvent } from '../../../utils/events';
import { pageUrl } from '../../../utils/format';
import { loadOnce } from '../../../utils/load';
import { loadMessage } from '../../../utils/load-failure';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { careBehavior } from '../../../utils/care';

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    guides: [] as { guideId: string; title: string; summary: string }[],
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
          const guides = await listGuides();
          this.setData({
            loading: false,
            guides: guides.map((g) => ({ guideId: g.guideId, title: g.title, summary: g.summary })),
          });
        },
        { start: { loading: true, loadError: '' }, failure: loadMessage },
      );
    },

    onGuide(e: DatasetEvent<{ guideId: string }>) {
      const guideId = e.currentTarget.dataset.guideId ?? '';
      if (guideId !== '') openPage(pageUrl(ROUTES.guideDetail, { guideId }));
    },

    onOffices() {
      openPage(ROUTES.offices);
    },
  },
});
