/** Parsers of the `guide` function's actions. */

import { type StringRule, badField } from '../../../miniprogram/domain/core/fields';
import { type Coordinates, isValidCoordinates } from '../../../miniprogram/domain/core/geo';
import type { OfficesParams, GuideActions } from '../../../miniprogram/domain/guide/contract';
import { type OfficeService, OFFICE_SERVICES } from '../../../miniprogram/domain/guide/offices';
import { readFiniteNumber, type Parsers } from '../parse/fields';
import type { FieldReader } from '../parse/reader';

export const GUIDE_ID: StringRule = {
  max: 40,
  pattern: /^[a-z0-9-]+$/,
  message: '指南编号应为小写字母、数字和连字符。',
};

/** Both or neither of latitude/longitude, a real point when given (the caller's location may be anywhere). */
function readOptionalLocation(reader: FieldReader): Coordinates | null {
  if (!reader.has('latitude') && !reader.has('longitude')) return null;
  const point = { latitude: readFiniteNumber(reader, 'latitude'), longitude: readFiniteNumber(reader, 'longitude') };
  if (!isValidCoordinates(point)) throw badField(reader.path('latitude'), '位置坐标不正确。');
  return point;
}

export function readOptionalOfficeService(reader: FieldReader, key: string): OfficeService | undefined {
  return reader.has(key) ? reader.oneOf(key, OFFICE_SERVICES, '不支持的业务类型。') : undefined;
}

function readOffices(reader: FieldReader): OfficesParams {
  const location = readOptionalLocation(reader);
  const service = readOptionalOfficeService(reader, 'service');
  return { ...(location ?? {}), ...(service === undefined ? {} : { service }) };
}

export const guideParsers: Parsers<GuideActions> = {
  list: () => ({}),
  detail: (r) => ({ guideId: r.string('guideId', GUIDE_ID) }),
  offices: (r) => readOffices(r),
};
