/** Parsers of the `fault` function's actions. */

import { DomainError } from '../../../miniprogram/domain/core/errors';
import { badField } from '../../../miniprogram/domain/core/fields';
import { type Coordinates, isValidCoordinates } from '../../../miniprogram/domain/core/geo';
import type { FaultActions } from '../../../miniprogram/domain/fault/contract';
import {
  MAX_FAULT_PHOTOS,
  isInNanning,
  FAULT_TYPES,
  FAULT_DESCRIPTION_MAX,
} from '../../../miniprogram/domain/fault/fault';
import type { ParsedParams } from '../actions';
import { FILE_ID, readFiniteNumber, type Parsers, OPAQUE_ID } from '../parse/fields';
import type { FieldReader } from '../parse/reader';

function readFileIds(reader: FieldReader): string[] {
  const raw = reader.raw('fileIDs');
  if (Array.isArray(raw) && raw.length > MAX_FAULT_PHOTOS) {
    throw new DomainError('INVALID_ARGUMENT', `最多上传 ${MAX_FAULT_PHOTOS} 张照片。`, {
      field: reader.path('fileIDs'),
      limit: MAX_FAULT_PHOTOS,
    });
  }
  const ids = reader.stringArray('fileIDs', { maxItems: MAX_FAULT_PHOTOS, item: FILE_ID });
  const repeated = ids.findIndex((id, i) => ids.indexOf(id) !== i);
  if (repeated >= 0) throw badField(`${reader.path('fileIDs')}[${repeated}]`, '同一张照片不能重复提交。');
  return ids;
}

/** Where a fault is: a real point inside Nanning (the city's police cannot fix another city's lights). */
function readFaultPoint(reader: FieldReader): Coordinates {
  const point = { latitude: readFiniteNumber(reader, 'latitude'), longitude: readFiniteNumber(reader, 'longitude') };
  if (!isValidCoordinates(point)) throw badField(reader.path('latitude'), '位置坐标不正确。');
  if (!isInNanning(point))
    throw badField(reader.path('latitude'), '只受理南宁市范围内的交通设施报障，请重新选择位置。');
  return point;
}

function readSubmitFault(r: FieldReader): ParsedParams<'fault', 'submit'> {
  const type = r.oneOf('type', FAULT_TYPES, '请选择设施类型。');
  const point = readFaultPoint(r);
  const name = r.optionalString('name', { max: 60, message: '地点名称最多 60 个字。' });
  const address = r.optionalString('address', { max: 200 });
  const description = r.string('description', {
    max: FAULT_DESCRIPTION_MAX,
    message: `问题描述最多 ${FAULT_DESCRIPTION_MAX} 个字。`,
  });
  return {
    type,
    ...point,
    ...(name === undefined ? {} : { name }),
    ...(address === undefined ? {} : { address }),
    description,
    fileIDs: readFileIds(r),
  };
}

export const faultParsers: Parsers<FaultActions> = {
  uploadTarget: () => ({}),
  submit: (r) => readSubmitFault(r),
  list: () => ({}),
  detail: (r) => ({ reportId: r.string('reportId', OPAQUE_ID) }),
};
