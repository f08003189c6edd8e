/**
 * Guides and offices: public information, so no registration is asked. Guides live in the cloud, imported
 * by the police (admin.importGuides), so a fee or document list is corrected the same day, without a mini-program
 * release and WeChat's review.
 */
import { DomainError } from '../../../miniprogram/domain/core/errors';
import { formatDistance, sortByDistance, type Coordinates } from '../../../miniprogram/domain/core/geo';
import type {
  GuideListResult,
  GuideDetailResult,
  OfficesParams,
  OfficesResult,
  OfficeItem,
} from '../../../miniprogram/domain/guide/contract';
import { COLLECTIONS } from '../collections';
import { database, find, getById } from '../db';
import type { GuideDoc, OfficeDoc } from '../records';

/** More than Nanning's service halls, vehicle offices and brigades together; one request. */
const MAX_OFFICES = 1000;
const MAX_GUIDES = 100;

/** Chinese names in pinyin order (阿 < 江 < 青 < 西); Node's full ICU has the collation, as the cloud's Node does. */
const PINYIN = new Intl.Collator('zh-Hans-CN-u-co-pinyin');

export async function listGuides(): Promise<GuideListResult> {
  const docs = await find<GuideDoc>(
    COLLECTIONS.guides,
    {},
    { orderBy: [['order', 'asc']], limit: MAX_GUIDES, fields: { guideId: true, title: true, summary: true } },
  );
  return { guides: docs.map((g) => ({ guideId: g.guideId, title: g.title, summary: g.summary })) };
}

export async function guideDetail(guideId: string): Promise<GuideDetailResult> {
  const guide = await getById<GuideDoc>(database, COLLECTIONS.guides, guideId);
  if (!guide) throw new DomainError('NOT_FOUND', '未找到该办事指南。');
  const detail: GuideDetailResult = {
    guideId: guide.guideId,
    title: guide.title,
    summary: guide.summary,
    sections: guide.sections.map((s) => ({ heading: s.heading, items: [...s.items] })),
    updatedOn: guide.updatedOn,
  };
  return guide.officeService ? { ...detail, officeService: guide.officeService } : detail;
}

export async function listOffices(params: OfficesParams): Promise<OfficesResult> {
  const open = await find<OfficeDoc>(COLLECTIONS.offices, { status: 'open' }, { limit: MAX_OFFICES });
  const service = params.service;
  const offices = service === undefined ? open : open.filter((o) => o.services.indexOf(service) >= 0);
  const origin: Coordinates | null =
    params.latitude !== undefined && params.longitude !== undefined
      ? { latitude: params.latitude, longitude: params.longitude }
      : null;
  const sorted = sortByDistance(offices, origin, PINYIN.compare);
  return {
    sortedBy: origin === null ? 'name' : 'distance',
    offices: sorted.map(({ item, distance }): OfficeItem => {
      const office: OfficeItem = {
        officeId: item.officeId,
        name: item.name,
        address: item.address,
        latitude: item.latitude,
        longitude: item.longitude,
        hours: item.hours,
        services: [...item.services],
        distance: distance === null ? null : Math.round(distance),
        distanceText: formatDistance(distance),
      };
      return item.phone ? { ...office, phone: item.phone } : office;
    }),
  };
}
