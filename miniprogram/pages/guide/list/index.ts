// Guides: what to bring and where to go for what cannot be done online (renewal, inspection, disputes, points study).
import { listGuides } from '../../../services/guide';
import { errorMessage } from '../../../services/errors';
import { type DatasetEvent } from '../../../utils/events';
import { pageUrl } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../utils/routes';

const state = instanceState(() => ({ loading: false }));

Component({
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

    async load() {
      const s = state(this);
      if (s.loading) return;
      s.loading = true;
      this.setData({ loading: true, loadError: '' });
      try {
        const guides = await listGuides();
        this.setData({ loading: false, guides: guides.map((g) => ({ guideId: g.guideId, title: g.title, summary: g.summary })) });
      } catch (error: unknown) {
        this.setData({ loading: false, loadError: errorMessage(error) });
      } finally {
        s.loading = false;
      }
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
