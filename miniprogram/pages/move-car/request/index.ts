// One-click move-car: the plate of the car in the way (plate keyboard, or a photo of it read by the cloud to pre-fill
// the keyboard), where I am, and what came of it — never who the owner is. The owner's side is the incoming page.
import { MAX_PHOTO_BYTES } from '../../../domain/fault/fault';
import { MOVE_CAR_OUTCOME_TEXTS, MOVE_CAR_PLACE_MAX } from '../../../domain/move-car/move-car';
import { isCompletePlate, PLATE_PREFIX, PLATE_TYPE_NAMES, type PlateType } from '../../../domain/vehicle/plate';
import { errorMessage } from '../../../services/errors';
import { moveCarStatus, myMoveCarRequests, requestMoveCar, scanPlate } from '../../../services/move-car';
import { busyAction, isBusy } from '../../../utils/busy';
import { type DetailEvent, type InputChangeEvent, type ValueChangeEvent } from '../../../utils/events';
import { formatDateTime } from '../../../utils/format';
import { loadOnce } from '../../../utils/load';
import { openPage } from '../../../utils/navigate';
import { choosePhotos } from '../../../utils/photos';
import { ROUTES } from '../../../domain/routes';
import type { MoveCarRequestView } from '../../../domain/move-car/contract';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

const PLATE_TYPE_OPTIONS = (['02', '52'] as const).map((value) => ({
  value,
  label: `${PLATE_TYPE_NAMES[value] ?? value}（${value === '02' ? '蓝牌 7 位' : '绿牌 8 位'}）`,
}));

/** The traffic police's number for help on the road. */
const POLICE_PHONE = '122';

interface OutcomeCard {
  requestId: string;
  plate: string;
  place: string;
  time: string;
  /** notified / unreachable / answered */
  outcome: string;
  title: string;
  text: string;
  theme: 'success' | 'warning' | 'primary';
}

function outcomeCard(view: MoveCarRequestView): OutcomeCard {
  const base = {
    requestId: view.requestId,
    plate: view.plate,
    place: view.place,
    time: formatDateTime(view.createdAt),
    outcome: view.outcome,
  };
  switch (view.outcome) {
    case 'answered':
      return {
        ...base,
        title: `车主回复：${view.replyText ?? ''}`,
        text: `回复时间 ${formatDateTime(view.answeredAt)}`,
        theme: 'success',
      };
    case 'notified':
      return { ...base, title: '已通知车主', text: MOVE_CAR_OUTCOME_TEXTS.notified, theme: 'primary' };
    case 'unreachable':
      return { ...base, title: '暂时联系不上车主', text: MOVE_CAR_OUTCOME_TEXTS.unreachable, theme: 'warning' };
  }
}

Component({
  behaviors: [careBehavior],
  data: {
    loading: true,
    loadError: '',
    needsVerify: false,
    plateTypeOptions: PLATE_TYPE_OPTIONS,
    plateType: field<PlateType>('02'),
    plate: PLATE_PREFIX,
    plateComplete: false,
    place: '',
    placeMax: MOVE_CAR_PLACE_MAX,
    submitting: false,
    scanning: false,
    /** What the photo read, for the driver to check before sending ('' when nothing was scanned). */
    scanned: '',
    notice: '',
    /** The request just sent (or refreshed); null before the first. */
    result: null as OutcomeCard | null,
    recent: [] as OutcomeCard[],
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
          const requests = await myMoveCarRequests();
          this.setData({ loading: false, needsVerify: false, recent: requests.map(outcomeCard) });
        },
        { start: { loading: true, loadError: '' } },
      );
    },

    onPlateType(e: ValueChangeEvent<PlateType>) {
      const plateType: PlateType = e.detail.value === '52' ? '52' : '02';
      this.setData({ plateType, plateComplete: isCompletePlate(plateType, this.data.plate) });
    },

    onPlate(e: DetailEvent<{ value: string; complete: boolean }>) {
      this.setData({ plate: e.detail.value, plateComplete: e.detail.complete, notice: '', scanned: '' });
    },

    /** A photo of the plate → the cloud reads it → the keyboard shows it; the driver still confirms and sends. */
    async onScan() {
      // no photo is asked for while a scan or a request is under way
      if (isBusy(this, 'scan') || isBusy(this, 'submit')) return;
      const [photo] = await choosePhotos(1, ['camera', 'album']);
      if (photo === undefined) return;
      if (photo.size > MAX_PHOTO_BYTES) {
        this.setData({ notice: '照片太大了，不能超过 5 MB，请重拍或手动输入号牌。', scanned: '' });
        return;
      }
      await busyAction(
        this,
        'scan',
        async () => {
          const { plate, plateType } = await scanPlate(photo.path);
          this.setData({
            plateType,
            plate,
            plateComplete: isCompletePlate(plateType, plate),
            scanned: `已识别号牌 ${plate}，请核对无误后再通知车主。`,
          });
        },
        {
          start: { scanning: true, notice: '', scanned: '' },
          // not recognised, another city's plate, too many scans today: the keyboard keeps what was typed
          failure: (error) => ({ notice: errorMessage(error) }),
          end: { scanning: false },
        },
      );
    },

    onPlace(e: InputChangeEvent) {
      this.setData({ place: e.detail.value });
    },

    async onSubmit() {
      // a tap while sending leaves the form's hint as it is
      if (isBusy(this, 'submit')) return;
      const { plate, plateType } = this.data;
      if (!isCompletePlate(plateType, plate)) {
        this.setData({ notice: '请用号牌键盘把挡路车辆的号牌填写完整。' });
        return;
      }
      await busyAction(
        this,
        'submit',
        async () => {
          const view = await requestMoveCar(plate, this.data.place.trim());
          const card = outcomeCard(view);
          this.setData({
            result: card,
            recent: [card, ...this.data.recent.filter((r) => r.requestId !== card.requestId)],
          });
        },
        {
          start: { submitting: true, notice: '' },
          // RATE_LIMITED, OWN_VEHICLE, a plate of another city: the function's sentence says what to do
          failure: (error) => ({ notice: errorMessage(error) }),
          end: { submitting: false },
        },
      );
    },

    /** Has the owner answered? */
    async onRefresh() {
      const current = this.data.result;
      if (current === null) return;
      await busyAction(
        this,
        'refresh',
        async () => {
          const card = outcomeCard(await moveCarStatus(current.requestId));
          this.setData({
            result: card,
            notice: '',
            recent: this.data.recent.map((r) => (r.requestId === card.requestId ? card : r)),
          });
        },
        { failure: (error) => ({ notice: errorMessage(error) }) },
      );
    },

    onNew() {
      this.setData({ result: null, plate: PLATE_PREFIX, plateComplete: false, place: '', notice: '', scanned: '' });
    },

    onCallPolice() {
      try {
        wx.makePhoneCall({ phoneNumber: POLICE_PHONE, fail: () => undefined });
      } catch {
        // a host without a phone (the browser preview): the number is on screen
      }
    },

    onIncoming() {
      openPage(ROUTES.moveCarIncoming);
    },

    onVerify() {
      openPage(ROUTES.register);
    },
  },
});
