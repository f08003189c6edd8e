// One guide: its sections, when the police last corrected it, and the offices that handle it.
import { getGuide } from '../../../services/guide';
import { pageUrl, queryValue } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadOnce } from '../../../utils/load';
import { loadMessage } from '../../../utils/load-failure';
import { openPage } from '../../../utils/navigate';
import { ROUTES } from '../../../domain/routes';
import { type OfficeService, OFFICE_SERVICE_NAMES } from '../../../domain/guide/offices';
import { careBehavior } from '../../../utils/care';

const state = instanceState<{ guideId: string; officeService: OfficeService | '' }>(() => ({
  guideId: '',
  officeService: '',
}));

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    title: '',
    summary: '',
    sections: [] as { heading: string; items: string[] }[],
    updatedOn: '',
    officesText: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      state(this).guideId = queryValue(query, 'guideId');
      void this.load();
    },

    onRetry() {
      void this.load();
    },

    load(): Promise<void> {
      const s = state(this);
      return loadOnce(
        this,
        async () => {
          const guide = await getGuide(s.guideId);
          s.officeService = guide.officeService ?? '';
          void wx.setNavigationBarTitle({ title: guide.title });
          this.setData({
            loading: false,
            title: guide.title,
            summary: guide.summary,
            sections: guide.sections.map((section) => ({ heading: section.heading, items: [...section.items] })),
            updatedOn: `更新于 ${guide.updatedOn}`,
            officesText:
              guide.officeService === undefined ? '' : `查看“${OFFICE_SERVICE_NAMES[guide.officeService]}”办理网点`,
          });
        },
        { start: { loading: true, loadError: '' }, failure: loadMessage },
      );
    },

    onOffices() {
      const service = state(this).officeService;
      openPage(pageUrl(ROUTES.offices, { service }));
    },
  },
});
