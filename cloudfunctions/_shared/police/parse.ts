/**
 * Parsers of the police side: registry and city import rows (each row on its own: a bad row is reported, the rest go
 * through), the export range, fault handling, and the bootstrap secret (officers' actions: officers/parse.ts).
 */

import { PERSON_NAME } from '../../../miniprogram/domain/account/person-name';
import {
  daysBetween,
  type IsoDate,
  toDayNumber,
  parseInstant,
  shanghaiDate,
  shanghaiDateTime,
  shanghaiInstant,
} from '../../../miniprogram/domain/core/dates';
import { DomainError } from '../../../miniprogram/domain/core/errors';
import { badField, fieldLabel, type StringRule, isPlainObject, hasOwn } from '../../../miniprogram/domain/core/fields';
import { type Coordinates, isInChina } from '../../../miniprogram/domain/core/geo';
import { FAULT_STATUSES, FAULT_NOTE_MAX, FAULT_TYPES } from '../../../miniprogram/domain/fault/fault';
import { FAULT_DISTRICTS } from '../../../miniprogram/domain/fault/districts';
import { createdAtBounds, MAX_FAULT_OFFSET, MAX_FAULT_PAGE } from '../../../miniprogram/domain/fault/police-list';
import type { GuideSection } from '../../../miniprogram/domain/guide/contract';
import { type OfficeService, OFFICE_SERVICES, OFFICE_STATUSES } from '../../../miniprogram/domain/guide/offices';
import { parseLicenceClasses, LICENCE_STATUSES } from '../../../miniprogram/domain/licence/licence';
import { ALLOWED_VIOLATION_POINTS } from '../../../miniprogram/domain/licence/scoring-cycle';
import { TOW_STATUSES } from '../../../miniprogram/domain/tow/tows';
import { VIOLATION_SOURCES, VIOLATION_STATUSES } from '../../../miniprogram/domain/violation/eligibility';
import { MAX_AMOUNT_FEN } from '../../../miniprogram/domain/violation/fees';
import type { ParsedParams } from '../actions';
import { GUIDE_ID, readOptionalOfficeService } from '../guide/parse';
import {
  type ParseContext,
  readIdNumber,
  readPlateWithType,
  VIOLATION_ID,
  FREE_TEXT,
  readFiniteNumber,
  OPAQUE_ID,
  FILE_ID,
  type Parsers,
} from '../parse/fields';
import { FieldReader, guardParse } from '../parse/reader';
import { readListRefunds, readRefundId, readRequestRefund } from '../payment/refunds/parse';
import {
  type ExportPaymentsParams,
  type DriverRow,
  type VehicleRow,
  type ViolationRow,
  type ParsedImport,
  type ImportRowError,
  type OfficeRow,
  type TowRow,
  type GuideRow,
  type AdminActions,
  type ExportDecisionsParams,
  MAX_IMPORT_ROWS,
  MAX_EVIDENCE_PHOTOS,
  MAX_EXPORT_DECISIONS,
} from './contract';
import { officerParsers } from './officers/parse';

/** Longest span of one payments export. */
const MAX_EXPORT_DAYS = 366;

/** Upper bound for imported cycle points (carry-over can exceed 12). */
const MAX_CYCLE_POINTS = 999;

function readDateRange(reader: FieldReader): ExportPaymentsParams {
  const from = reader.isoDate('from');
  const to = reader.isoDate('to');
  const span = daysBetween(from, to);
  if (span < 0) throw badField(reader.path('to'), '结束日期不能早于开始日期。');
  if (span + 1 > MAX_EXPORT_DAYS) throw badField(reader.path('to'), `一次最多导出 ${MAX_EXPORT_DAYS} 天的记录。`);
  return { from, to };
}

type RowParser<Row> = (reader: FieldReader, ctx: ParseContext) => Row;

function notAfterToday(date: IsoDate, reader: FieldReader, key: string, ctx: ParseContext): IsoDate {
  if (toDayNumber(date) > toDayNumber(ctx.today, 'today'))
    throw badField(reader.path(key), `${fieldLabel(key)}不能晚于今天。`);
  return date;
}

const parseDriverRow: RowParser<DriverRow> = (reader, ctx) => {
  const idNumber = readIdNumber(reader, 'idNumber', ctx);
  const name = reader.string('name', PERSON_NAME);
  const classText = reader.string('licenceClass', { max: 32 });
  const classes = parseLicenceClasses(classText);
  if (classes === null || classes.length === 0) throw badField(reader.path('licenceClass'), '准驾车型无法识别。');
  const firstIssueDate = notAfterToday(reader.isoDate('firstIssueDate'), reader, 'firstIssueDate', ctx);
  const validUntil = reader.isoDate('validUntil');
  if (toDayNumber(validUntil) < toDayNumber(firstIssueDate)) {
    throw badField(reader.path('validUntil'), '有效期止不能早于初次领证日期。');
  }
  const row = {
    idNumber,
    name,
    licenceClass: classes.join(''),
    firstIssueDate,
    validUntil,
    status: reader.oneOf('status', LICENCE_STATUSES),
    cyclePoints: reader.int('cyclePoints', { min: 0, max: MAX_CYCLE_POINTS }),
  };
  const throughMs = readOptionalPastInstant(reader, 'onlinePointsThrough', ctx);
  // Kept to the millisecond: it is compared with decision times the export gives to the millisecond.
  return throughMs === undefined ? row : { ...row, onlinePointsThrough: shanghaiInstant(throughMs) };
};

/** An optional ISO 8601 instant not after today, as epoch ms. */
function readOptionalPastInstant(reader: FieldReader, key: string, ctx: ParseContext): number | undefined {
  const text = reader.optionalString(key, { max: 40 });
  if (text === undefined) return undefined;
  const ms = parseInstant(text);
  if (ms === null) throw badField(reader.path(key), `${fieldLabel(key)}应为 ISO 8601 格式的时间。`);
  if (toDayNumber(shanghaiDate(ms)) > toDayNumber(ctx.today, 'today'))
    throw badField(reader.path(key), `${fieldLabel(key)}不能晚于今天。`);
  return ms;
}

const parseVehicleRow: RowParser<VehicleRow> = (reader, ctx) => {
  const { plate, plateType } = readPlateWithType(reader);
  const row = {
    plate,
    plateType,
    ownerIdNumber: readIdNumber(reader, 'ownerIdNumber', ctx),
    ownerName: reader.string('ownerName', PERSON_NAME),
  };
  const inspectionDue = reader.optionalIsoDate('inspectionDue');
  return inspectionDue === undefined ? row : { ...row, inspectionDue };
};

const parseViolationRow: RowParser<ViolationRow> = (reader, ctx) => {
  const violationId = reader.string('violationId', VIOLATION_ID);
  const { plate, plateType } = readPlateWithType(reader);
  const occurredText = reader.string('occurredAt', { max: 40 });
  const occurredMs = parseInstant(occurredText);
  if (occurredMs === null) throw badField(reader.path('occurredAt'), '违法时间应为 ISO 8601 格式。');
  if (toDayNumber(shanghaiDate(occurredMs)) > toDayNumber(ctx.today, 'today')) {
    throw badField(reader.path('occurredAt'), '违法时间不能晚于今天。');
  }
  const row = {
    violationId,
    plate,
    plateType,
    occurredAt: shanghaiDateTime(occurredMs),
    place: reader.string('place', FREE_TEXT),
    behaviour: reader.string('behaviour', FREE_TEXT),
    fine: reader.int('fine', { min: 0, max: MAX_AMOUNT_FEN }),
    points: readPoints(reader),
    source: reader.oneOf('source', VIOLATION_SOURCES),
    status: reader.oneOf('status', VIOLATION_STATUSES),
    disputed: reader.boolean('disputed'),
    ...readEvidence(reader),
  };
  const paidMs = readOptionalPastInstant(reader, 'paidAt', ctx);
  if (paidMs === undefined) return row;
  if (row.status !== 'paid') throw badField(reader.path('paidAt'), '只有已缴款的违法记录才有缴款时间。');
  if (paidMs < occurredMs) throw badField(reader.path('paidAt'), '缴款时间不能早于违法时间。');
  return { ...row, paidAt: shanghaiDateTime(paidMs) };
};

/** 违法代码 as the public security traffic code table writes it. */
const VIOLATION_CODE: StringRule = { max: 5, pattern: /^\d{4,5}$/, message: '违法代码应为 4–5 位数字。' };

const LAW_BASIS: StringRule = { max: 200, message: '法律依据最多 200 个字。' };

/** The optional code, legal basis and evidence photos: absent on older registry rows, checked when present. */
function readEvidence(reader: FieldReader): Pick<ViolationRow, 'code' | 'lawBasis' | 'photos'> {
  const code = reader.optionalString('code', VIOLATION_CODE);
  const lawBasis = reader.optionalString('lawBasis', LAW_BASIS);
  // present, even empty, replaces what an earlier import stored
  const photos = reader.has('photos') ? readEvidencePhotos(reader) : undefined;
  return {
    ...(code === undefined ? {} : { code }),
    ...(lawBasis === undefined ? {} : { lawBasis }),
    ...(photos === undefined ? {} : { photos }),
  };
}

function readEvidencePhotos(reader: FieldReader): string[] {
  const raw = reader.raw('photos');
  if (Array.isArray(raw) && raw.length > MAX_EVIDENCE_PHOTOS)
    throw new DomainError('INVALID_ARGUMENT', `每条违法记录最多 ${MAX_EVIDENCE_PHOTOS} 张抓拍照片。`, {
      field: reader.path('photos'),
      limit: MAX_EVIDENCE_PHOTOS,
    });
  const photos = reader.stringArray('photos', {
    maxItems: MAX_EVIDENCE_PHOTOS,
    item: { ...FILE_ID, message: '抓拍照片应为云存储文件编号（cloud://…）。' },
  });
  const repeated = photos.findIndex((id, i) => photos.indexOf(id) !== i);
  if (repeated >= 0) throw badField(`${reader.path('photos')}[${repeated}]`, '同一张抓拍照片重复出现。');
  return photos;
}

function readPoints(reader: FieldReader): number {
  const points = reader.int('points', { min: 0, max: 12 });
  if (ALLOWED_VIOLATION_POINTS.indexOf(points) < 0)
    throw badField(reader.path('points'), '记分只能是 0、1、3、6、9 或 12 分。');
  return points;
}

function rowKey(row: DriverRow | VehicleRow | ViolationRow): string {
  if ('violationId' in row) return row.violationId;
  if ('idNumber' in row) return row.idNumber;
  return `${row.plate}/${row.plateType}`;
}

/**
 * Parse each row on its own: a bad row becomes an error entry and the rest go through. A key repeated
 * in one batch is an error on the later row, so a batch means one thing whatever the upsert order.
 */
function parseImportRows<Row extends DriverRow | VehicleRow | ViolationRow>(
  rows: readonly unknown[],
  parseRow: RowParser<Row>,
  ctx: ParseContext,
): ParsedImport<Row> {
  return parseKeyedRows(rows, parseRow, ctx, rowKey);
}

/** parseImportRows for rows of any shape, each batch's duplicates found by `keyOf` (the city-service imports). */
function parseKeyedRows<Row>(
  rows: readonly unknown[],
  parseRow: RowParser<Row>,
  ctx: ParseContext,
  keyOf: (row: Row) => string,
): ParsedImport<Row> {
  const parsed: { index: number; row: Row }[] = [];
  const errors: ImportRowError[] = [];
  const seen = new Set<string>();
  rows.forEach((raw, index) => {
    try {
      const row = guardParse(() => parseRow(new FieldReader(raw, `rows[${index}]`), ctx));
      const key = keyOf(row);
      if (seen.has(key)) throw badField(`rows[${index}]`, '同一批数据中该记录重复出现。');
      seen.add(key);
      parsed.push({ index, row });
    } catch (error) {
      const e = error instanceof DomainError ? error : new DomainError('INVALID_ARGUMENT');
      const field = e.details?.field;
      const entry = { row: index, code: e.code, message: e.message };
      errors.push(field === undefined ? entry : { ...entry, field });
    }
  });
  return { rows: parsed, errors };
}

/** Registry ids of offices and tows: printable, bounded. */
const CITY_ID: StringRule = { max: 64, pattern: /^[0-9A-Za-z_.:-]+$/ };

const PLACE_NAME: StringRule = { max: 60 };

const ADDRESS: StringRule = { max: 200 };

const HOURS: StringRule = { max: 100 };

const PHONE: StringRule = { max: 20, pattern: /^[0-9][0-9-]{4,19}$/, message: '电话号码只能包含数字和连字符。' };

const MAX_GUIDE_SECTIONS = 20;

const MAX_GUIDE_ITEMS = 30;

/** A place the police supply: GCJ-02 inside China, which also catches latitude and longitude swapped. */
function readPlace(reader: FieldReader): Coordinates {
  const point = { latitude: readFiniteNumber(reader, 'latitude'), longitude: readFiniteNumber(reader, 'longitude') };
  if (!isInChina(point))
    throw badField(reader.path('latitude'), '坐标应为中国境内的 GCJ-02 经纬度（纬度在前、经度在后）。');
  return point;
}

function readOfficeServices(reader: FieldReader): OfficeService[] {
  const codes = reader.stringArray('services', {
    minItems: 1,
    maxItems: OFFICE_SERVICES.length * 2,
    item: { max: 32 },
  });
  const services: OfficeService[] = [];
  codes.forEach((code, i) => {
    const service = OFFICE_SERVICES.find((s) => s === code);
    if (service === undefined)
      throw badField(`${reader.path('services')}[${i}]`, `不支持的业务类型（可选：${OFFICE_SERVICES.join('、')}）。`);
    if (services.indexOf(service) < 0) services.push(service);
  });
  return services;
}

const parseOfficeRow: RowParser<OfficeRow> = (reader) => {
  const row = {
    officeId: reader.string('officeId', CITY_ID),
    name: reader.string('name', { ...PLACE_NAME, message: '网点名称应为 1–60 个字。' }),
    address: reader.string('address', ADDRESS),
    ...readPlace(reader),
    hours: reader.string('hours', HOURS),
    services: readOfficeServices(reader),
    status: reader.has('status') ? reader.oneOf('status', OFFICE_STATUSES) : ('open' as const),
  };
  const phone = reader.optionalString('phone', PHONE);
  return phone === undefined ? row : { ...row, phone };
};

const parseTowRow: RowParser<TowRow> = (reader, ctx) => {
  const towId = reader.string('towId', CITY_ID);
  const { plate, plateType } = readPlateWithType(reader);
  const towedMs = parseInstant(reader.string('towedAt', { max: 40 }));
  if (towedMs === null) throw badField(reader.path('towedAt'), '拖移时间应为 ISO 8601 格式。');
  if (toDayNumber(shanghaiDate(towedMs)) > toDayNumber(ctx.today, 'today'))
    throw badField(reader.path('towedAt'), '拖移时间不能晚于今天。');
  return {
    towId,
    plate,
    plateType,
    towedAt: shanghaiDateTime(towedMs),
    yardName: reader.string('yardName', PLACE_NAME),
    yardAddress: reader.string('yardAddress', ADDRESS),
    ...readPlace(reader),
    fee: reader.int('fee', { min: 0, max: MAX_AMOUNT_FEN }),
    yardHours: reader.string('yardHours', HOURS),
    yardPhone: reader.string('yardPhone', PHONE),
    status: reader.oneOf('status', TOW_STATUSES),
  };
};

function readGuideSections(reader: FieldReader): GuideSection[] {
  const path = reader.path('sections');
  return reader.array('sections', { minItems: 1, maxItems: MAX_GUIDE_SECTIONS }).map((raw, i) => {
    const section = new FieldReader(raw, `${path}[${i}]`);
    return {
      heading: section.string('heading', { max: 40 }),
      items: section.stringArray('items', { minItems: 1, maxItems: MAX_GUIDE_ITEMS, item: { max: 500 } }),
    };
  });
}

const parseGuideRow: RowParser<GuideRow> = (reader) => {
  const row = {
    guideId: reader.string('guideId', GUIDE_ID),
    title: reader.string('title', { max: 40 }),
    summary: reader.string('summary', FREE_TEXT),
    sections: readGuideSections(reader),
    order: reader.int('order', { min: 0, max: 9999 }),
  };
  const officeService = readOptionalOfficeService(reader, 'officeService');
  const updatedOn = reader.optionalIsoDate('updatedOn');
  return {
    ...row,
    ...(officeService === undefined ? {} : { officeService }),
    ...(updatedOn === undefined ? {} : { updatedOn }),
  };
};

function readListFaults(r: FieldReader): ParsedParams<'admin', 'listFaults'> {
  const status = r.has('status') ? r.oneOf('status', FAULT_STATUSES, '不支持的报障状态。') : undefined;
  const type = r.has('type') ? r.oneOf('type', FAULT_TYPES, '不支持的设施类型。') : undefined;
  const district = r.has('district') ? r.oneOf('district', FAULT_DISTRICTS, '不支持的区域。') : undefined;
  const from = r.optionalIsoDate('from');
  const to = r.optionalIsoDate('to');
  // refuses an end before the start here, naming the field
  createdAtBounds(from, to);
  const order = r.has('order') ? r.oneOf('order', ['asc', 'desc'] as const, '排序只能是 asc 或 desc。') : undefined;
  const offset = r.has('offset') ? r.int('offset', { min: 0, max: MAX_FAULT_OFFSET }) : undefined;
  const limit = r.has('limit') ? r.int('limit', { min: 1, max: MAX_FAULT_PAGE }) : undefined;
  return {
    ...(status === undefined ? {} : { status }),
    ...(type === undefined ? {} : { type }),
    ...(district === undefined ? {} : { district }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(order === undefined ? {} : { order }),
    ...(offset === undefined ? {} : { offset }),
    ...(limit === undefined ? {} : { limit }),
  };
}

function readUpdateFault(r: FieldReader): ParsedParams<'admin', 'updateFault'> {
  const note = r.optionalString('note', { max: FAULT_NOTE_MAX, message: `处理说明最多 ${FAULT_NOTE_MAX} 个字。` });
  return {
    reportId: r.string('reportId', OPAQUE_ID),
    status: r.oneOf('status', FAULT_STATUSES, '不支持的报障状态。'),
    ...(note === undefined ? {} : { note }),
  };
}

/** The decisions export's cursor: the sequence of the last decision the caller has (digits, as `nextCursor` gives). */
const EXPORT_CURSOR: StringRule = {
  max: 80,
  pattern: /^(\d{15}_[\w-]{1,64})?$/,
  message: '游标格式不正确，请传入上一次导出返回的 nextCursor。',
};

function readExportDecisions(r: FieldReader): ExportDecisionsParams {
  const after = r.optionalString('after', EXPORT_CURSOR);
  const limit = r.has('limit') ? r.int('limit', { min: 1, max: MAX_EXPORT_DECISIONS }) : undefined;
  return { ...(after === undefined ? {} : { after }), ...(limit === undefined ? {} : { limit }) };
}

/** `event.adminToken` if it is a bounded string, else null; never throws (checked before anything is parsed). */
export function readAdminToken(event: unknown): string | null {
  try {
    if (!isPlainObject(event) || !hasOwn(event, 'adminToken')) return null;
    const token = event['adminToken'];
    return typeof token === 'string' && token.length > 0 && token.length <= 256 ? token : null;
  } catch {
    return null;
  }
}

/** Compare a given admin token with the configured one in time independent of where they differ. */
export function adminTokenMatches(given: string | null, configured: string | undefined): boolean {
  if (given === null || configured === undefined || configured.length === 0) return false;
  let diff = given.length ^ configured.length;
  for (let i = 0; i < configured.length; i += 1) {
    diff |= configured.charCodeAt(i) ^ (i < given.length ? given.charCodeAt(i) : 0);
  }
  return diff === 0;
}

export const adminParsers: Parsers<AdminActions> = {
  ...officerParsers,
  importDrivers: (r, ctx) => parseImportRows(r.array('rows', { maxItems: MAX_IMPORT_ROWS }), parseDriverRow, ctx),
  importVehicles: (r, ctx) => parseImportRows(r.array('rows', { maxItems: MAX_IMPORT_ROWS }), parseVehicleRow, ctx),
  importViolations: (r, ctx) => parseImportRows(r.array('rows', { maxItems: MAX_IMPORT_ROWS }), parseViolationRow, ctx),
  exportPayments: (r) => readDateRange(r),
  refundQueue: () => ({}),
  importOffices: (r, ctx) =>
    parseKeyedRows(r.array('rows', { maxItems: MAX_IMPORT_ROWS }), parseOfficeRow, ctx, (row) => row.officeId),
  importTows: (r, ctx) =>
    parseKeyedRows(r.array('rows', { maxItems: MAX_IMPORT_ROWS }), parseTowRow, ctx, (row) => row.towId),
  importGuides: (r, ctx) =>
    parseKeyedRows(r.array('rows', { maxItems: MAX_IMPORT_ROWS }), parseGuideRow, ctx, (row) => row.guideId),
  listFaults: (r) => readListFaults(r),
  updateFault: (r) => readUpdateFault(r),
  exportDecisions: (r) => readExportDecisions(r),
  listRefunds: (r) => readListRefunds(r),
  requestRefund: (r) => readRequestRefund(r),
  approveRefund: (r) => readRefundId(r),
  retryRefund: (r) => readRefundId(r),
  syncRefund: (r) => readRefundId(r),
  revealFaultReporter: (r) => ({ reportId: r.string('reportId', OPAQUE_ID) }),
};
