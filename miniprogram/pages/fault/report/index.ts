// Report a traffic-facility fault: what (type), where (picked on the map or the current location), what is wrong,
// up to 3 photos — uploaded into the user's own folder, then checked by the cloud on submit.
import {
  FAULT_DESCRIPTION_MAX,
  FAULT_TYPES,
  FAULT_TYPE_NAMES,
  isInNanning,
  MAX_FAULT_PHOTOS,
  MAX_PHOTO_BYTES,
  type FaultType,
} from '../../../domain/fault/fault';
import { ERROR_MESSAGES, isErrorCode, type ErrorDetails } from '../../../domain/core/errors';
import { errorMessage, toServiceError } from '../../../services/errors';
import { faultUploadTarget, submitFault, uploadFaultPhoto } from '../../../services/fault';
import { busyAction, isBusy } from '../../../utils/busy';
import { type DatasetEvent, type InputChangeEvent, type ValueChangeEvent } from '../../../utils/events';
import { pageUrl } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { currentLocation, pickPlace } from '../../../utils/location';
import { openPage } from '../../../utils/navigate';
import { choosePhotos } from '../../../utils/photos';
import { ROUTES } from '../../../domain/routes';
import { placeText } from '../status';
import type { FaultUploadTarget } from '../../../domain/fault/contract';
import { field } from '../../../utils/data-field';
import { careBehavior } from '../../../utils/care';

interface Place {
  latitude: number;
  longitude: number;
  name: string;
  address: string;
  /** What the page shows. */
  label: string;
}

interface Photo {
  /** Stable for wx:key. */
  key: string;
  path: string;
}

const TYPE_OPTIONS = FAULT_TYPES.map((value) => ({ value, label: FAULT_TYPE_NAMES[value] }));
const OUTSIDE_NANNING = '只受理南宁市范围内的交通设施报障，请重新选择位置。';

const state = instanceState(() => ({
  target: null as FaultUploadTarget | null,
  /** fileIDs of photos already uploaded, by local path: a retry after a refusal does not upload them again. */
  uploaded: new Map<string, string>(),
  photoCount: 0,
}));

function isPhotoCode(code: string): boolean {
  return code.indexOf('PHOTO_') === 0;
}

interface Refusal {
  index: number;
  /** The photo's own reason code (`PHOTO_TOO_LARGE`, …). */
  code: string;
}

/**
 * Every photo the cloud refused, from `details.reasons` (`fileIDs[2]:PHOTO_TOO_LARGE`, one per refused photo), or
 * from `details.field` with the error's code when an answer lists no reasons.
 */
function refusedPhotos(code: string, details: ErrorDetails | undefined): Refusal[] {
  const found = new Map<number, string>();
  for (const reason of details?.reasons ?? []) {
    const match = /^fileIDs\[(\d+)\]:(PHOTO_\w+)$/.exec(reason);
    if (match?.[1] !== undefined && match[2] !== undefined) found.set(Number(match[1]), match[2]);
  }
  const field = /^fileIDs\[(\d+)\]$/.exec(details?.field ?? '');
  if (found.size === 0 && field?.[1] !== undefined) found.set(Number(field[1]), code);
  return [...found].map(([index, reason]) => ({ index, code: reason })).sort((a, b) => a.index - b.index);
}

/** One sentence: how many photos were removed, which, and why (each reason once). */
function refusalNotice(refusals: readonly Refusal[], fallback: string): string {
  const byCode = new Map<string, number[]>();
  for (const r of refusals) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r.index + 1]);
  const why = [...byCode].map(
    ([code, numbers]) => `第 ${numbers.join('、')} 张：${isErrorCode(code) ? ERROR_MESSAGES[code] : fallback}`,
  );
  return `已移除 ${refusals.length} 张未通过检查的照片。${why.join('')}`;
}

Component({
  behaviors: [careBehavior],
  data: {
    types: TYPE_OPTIONS,
    type: field<FaultType | ''>(''),
    place: null as Place | null,
    locating: false,
    description: '',
    descriptionMax: FAULT_DESCRIPTION_MAX,
    photos: [] as Photo[],
    maxPhotos: MAX_FAULT_PHOTOS,
    submitting: false,
    notice: '',
    /** Set once the report is in. */
    reportId: '',
  },

  methods: {
    onType(e: ValueChangeEvent<FaultType>) {
      this.setData({ type: e.detail.value, notice: '' });
    },

    async onPickOnMap() {
      const current = this.data.place;
      const picked = await pickPlace(
        current === null ? undefined : { latitude: current.latitude, longitude: current.longitude },
      );
      if (!picked.ok) {
        if (picked.reason !== 'cancelled')
          this.setData({
            notice:
              picked.reason === 'denied'
                ? '未获得位置权限，无法打开地图选点，请在设置中允许后重试。'
                : '暂时无法打开地图，请稍后重试或使用当前位置。',
          });
        return;
      }
      const { place } = picked;
      if (!isInNanning(place)) {
        this.setData({ notice: OUTSIDE_NANNING });
        return;
      }
      this.setData({
        place: { ...place, label: placeText(place.name || place.address, place.latitude, place.longitude) },
        notice: '',
      });
    },

    async onUseCurrent() {
      this.setData({ locating: true });
      const located = await currentLocation();
      this.setData({ locating: false });
      if (!located.ok) {
        this.setData({
          notice:
            located.reason === 'denied'
              ? '未获得位置权限。请在地图上选点，或在设置中允许使用位置。'
              : '暂时无法获取您的位置，请在地图上选点。',
        });
        return;
      }
      const { latitude, longitude } = located.location;
      if (!isInNanning(located.location)) {
        this.setData({ notice: OUTSIDE_NANNING });
        return;
      }
      this.setData({
        place: { latitude, longitude, name: '', address: '', label: placeText('', latitude, longitude) },
        notice: '',
      });
    },

    onDescription(e: InputChangeEvent) {
      this.setData({ description: e.detail.value });
    },

    async onAddPhotos() {
      const room = MAX_FAULT_PHOTOS - this.data.photos.length;
      if (room <= 0) return;
      const chosen = await choosePhotos(room);
      if (chosen.length === 0) return;
      const known = new Set(this.data.photos.map((p) => p.path));
      const fresh = chosen.filter((photo) => !known.has(photo.path));
      const fitting = fresh.filter((photo) => photo.size <= MAX_PHOTO_BYTES);
      const s = state(this);
      const added = fitting.map((photo) => ({ key: `p${(s.photoCount += 1)}`, path: photo.path }));
      this.setData({
        photos: [...this.data.photos, ...added].slice(0, MAX_FAULT_PHOTOS),
        notice: fitting.length < fresh.length ? '有照片超过 5 MB，未添加，请选择其他照片。' : '',
      });
    },

    onRemovePhoto(e: DatasetEvent<{ key: string }>) {
      const key = e.currentTarget.dataset.key;
      this.setData({ photos: this.data.photos.filter((p) => p.key !== key) });
    },

    async onSubmit() {
      // a tap while sending changes nothing, not even the form's hints
      if (isBusy(this, 'submit')) return;
      const { type, place } = this.data;
      const description = this.data.description.trim();
      const missing =
        type === ''
          ? '请选择设施类型。'
          : place === null
            ? '请在地图上选点或使用当前位置。'
            : description === ''
              ? '请描述设施的问题。'
              : '';
      if (missing !== '' || type === '' || place === null) {
        this.setData({ notice: missing });
        return;
      }
      const s = state(this);
      const photos = this.data.photos;
      await busyAction(
        this,
        'submit',
        async () => {
          const fileIDs: string[] = [];
          if (photos.length > 0) {
            const target = s.target ?? (s.target = await faultUploadTarget());
            const now = Date.now();
            for (const [i, photo] of photos.entries()) {
              const known = s.uploaded.get(photo.path);
              const fileID = known ?? (await uploadFaultPhoto(target.dir, photo.path, i, now));
              s.uploaded.set(photo.path, fileID);
              fileIDs.push(fileID);
            }
          }
          const report = await submitFault({
            type,
            latitude: place.latitude,
            longitude: place.longitude,
            ...(place.name === '' ? {} : { name: place.name }),
            ...(place.address === '' ? {} : { address: place.address }),
            description,
            fileIDs,
          });
          this.setData({ reportId: report.reportId });
        },
        {
          start: { submitting: true, notice: '' },
          failure: (error) => {
            const failure = toServiceError(error);
            const refusals = isPhotoCode(failure.code)
              ? refusedPhotos(failure.code, failure.details).filter((r) => photos[r.index] !== undefined)
              : [];
            if (refusals.length === 0) return { notice: errorMessage(error) };
            // the cloud refused every photo listed (and deleted those uploads): drop them all, or the next submit fails again
            const dropped = new Set(refusals.map((r) => photos[r.index]?.key));
            for (const photo of photos) if (dropped.has(photo.key)) s.uploaded.delete(photo.path);
            return {
              photos: photos.filter((p) => !dropped.has(p.key)),
              notice: refusalNotice(refusals, failure.message),
            };
          },
          end: { submitting: false },
        },
      );
    },

    onViewReport() {
      openPage(pageUrl(ROUTES.faultDetail, { reportId: this.data.reportId }));
    },

    onMyReports() {
      openPage(ROUTES.faults);
    },
  },
});
