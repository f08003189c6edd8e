import { decodeEJSON, encodeEJSON } from './ejson';
import { storedText } from '../store/codec';
import { StoreError, type Filter, type FindOptions, type SortSpec, type Store } from '../store/types';

/** The cloud's paging limits: the SDK asks for 100 by default and the server never returns more than 1000. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** What the local cloud answers: `{ ...payload, requestId }` or `{ code, message, requestId }`, always HTTP 200 as the cloud does. */
export type AdminReply = Record<string, unknown>;

/** An open-API answer: raw bytes (protobuf for wx.openApi, JSON text for wx.wxPayApi), as WeChat's gateway sends them. */
export class RawReply {
  constructor(
    readonly bytes: Buffer,
    readonly contentType = 'application/octet-stream',
  ) {}
}

/** Cloud storage (scripts/local-cloud/storage/storage.ts); failures are thrown as ProtocolError. */
export interface StorageApi {
  uploadMetadata(cloudPath: unknown, uploader: string | null): Record<string, unknown>;
  downloadUrls(fileList: unknown): unknown[];
  deleteFiles(fileList: unknown): unknown[];
}

export interface AdminContext {
  store: Store;
  now: () => Date;
  requestId: string;
  /** The openid of the invocation that sent the request ('' for none: a trigger, a server call, a test). */
  openid: string;
  storage: StorageApi;
  /** functions.invokeFunction: run another function with the caller's identity. */
  invokeFunction: (name: string, event: unknown) => Promise<unknown>;
  /** open-API calls (wx.openApi / wx.wxPayApi) go to the sandboxes. */
  openApi: (action: string, body: Record<string, unknown>) => Promise<AdminReply | RawReply>;
}

/** Error codes as the cloud database names them; the SDK rethrows them with this code and message. */
const STORE_CODE_TO_CLOUD: Record<string, string> = {
  TRANSACTION_CONFLICT: 'DATABASE_TRANSACTION_CONFLICT',
  TRANSACTION_NOT_FOUND: 'DATABASE_TRANSACTION_FAIL',
  DUPLICATE_KEY: 'DATABASE_DUPLICATE_WRITE',
  UNSUPPORTED: 'DATABASE_REQUEST_FAILED',
  INVALID: 'INVALID_PARAM',
};

export class ProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Handler = (
  body: Record<string, unknown>,
  ctx: AdminContext,
) => Promise<AdminReply | RawReply> | AdminReply | RawReply;

const handlers: Record<string, Handler> = {
  'database.getDocument': (body, ctx) => {
    const coll = collectionName(body);
    const filter = optionalFilter(body, 'query', ctx);
    const limit = clampLimit(body['limit']);
    const offset = nonNegativeInt(body['offset'], 'offset') ?? 0;
    const options: FindOptions = { skip: offset, limit };
    const order = body['order'] === undefined ? undefined : decodeObject(body['order'], 'order', ctx);
    if (order) options.sort = sortSpec(order);
    const projection =
      body['projection'] === undefined ? undefined : decodeObject(body['projection'], 'projection', ctx);
    if (projection) options.projection = projection;
    const list = ctx.store.find(coll, filter, options, transactionId(body));
    return { data: { list: list.map(encodeFound), limit, offset } };
  },

  'database.calculateDocument': (body, ctx) => ({
    data: { total: ctx.store.count(collectionName(body), optionalFilter(body, 'query', ctx), transactionId(body)) },
  }),

  'database.insertDocument': (body, ctx) => {
    const coll = collectionName(body);
    const raw = body['data'];
    if (!Array.isArray(raw) || raw.length === 0)
      throw new ProtocolError('INVALID_PARAM', 'data must be a non-empty array of EJSON documents');
    const docs = raw.map((item, i) => {
      const doc = decodeEJSON(item, `data[${i}]`, ctx.now());
      if (!isRecord(doc)) throw new ProtocolError('INVALID_PARAM', `data[${i}] must be a document`);
      return doc;
    });
    return { data: { insertedIds: ctx.store.insert(coll, docs, transactionId(body)) } };
  },

  'database.modifyDocument': (body, ctx) => {
    const coll = collectionName(body);
    const filter = optionalFilter(body, 'query', ctx);
    const data = decodeObject(body['data'], 'data', ctx);
    const replace = !flag(body, 'merge', true);
    const update = replace || hasOperators(data) ? data : { $set: data };
    const result = ctx.store.update(
      coll,
      filter,
      update,
      { multi: flag(body, 'multi', false), upsert: flag(body, 'upsert', false), replace },
      transactionId(body),
    );
    return { data: { updated: result.updated, upsert_id: result.upsertedId ?? null } };
  },

  'database.modifyAndReturnDoc': (body, ctx) => {
    const coll = collectionName(body);
    const filter = optionalFilter(body, 'query', ctx);
    const data = decodeObject(body['data'], 'data', ctx);
    const txId = transactionId(body);
    const [target] = ctx.store.find(coll, filter, { limit: 1, projection: { _id: 1 } }, txId);
    if (!target) return { data: { updated: 0, doc: null } };
    const byId = { _id: target._id };
    const result = ctx.store.update(
      coll,
      byId,
      hasOperators(data) ? data : { $set: data },
      { multi: false, upsert: false, replace: false },
      txId,
    );
    const [doc] = ctx.store.find(coll, byId, { limit: 1 }, txId);
    return { data: { updated: result.updated, doc: doc ? encodeEJSON(doc) : null } };
  },

  'database.removeDocument': (body, ctx) => ({
    data: {
      deleted: ctx.store.remove(
        collectionName(body),
        optionalFilter(body, 'query', ctx),
        { multi: flag(body, 'multi', false) },
        transactionId(body),
      ),
    },
  }),

  'database.aggregateDocuments': (body, ctx) => {
    const coll = collectionName(body);
    const stages = body['stages'];
    if (!Array.isArray(stages)) throw new ProtocolError('INVALID_PARAM', 'stages must be an array');
    const pipeline = stages.map((stage, i) => {
      if (!isRecord(stage) || typeof stage['stageKey'] !== 'string')
        throw new ProtocolError('INVALID_PARAM', `stages[${i}] must be { stageKey, stageValue }`);
      return { [stage['stageKey']]: decodeEJSON(stage['stageValue'], `stages[${i}].stageValue`, ctx.now()) };
    });
    return { data: { list: ctx.store.aggregate(coll, pipeline).map(encodeEJSON) } };
  },

  'database.addCollection': (body) => {
    collectionName(body);
    return {};
  },

  'database.startTransaction': (_body, ctx) => ({ transactionId: ctx.store.beginTransaction() }),
  'database.commitTransaction': (body, ctx) => {
    ctx.store.commit(requiredTransactionId(body));
    return {};
  },
  'database.abortTransaction': (body, ctx) => {
    ctx.store.abort(requiredTransactionId(body));
    return {};
  },

  // The SDK's older transaction API (transaction.get/set/update/delete by _id), kept for completeness.
  'database.getInTransaction': (body, ctx) => {
    const [doc] = ctx.store.find(collectionName(body), { _id: docId(body) }, { limit: 1 }, requiredTransactionId(body));
    return { data: doc ? encodeFound(doc) : null };
  },
  'database.updateDocInTransaction': (body, ctx) => {
    const data = decodeObject(body['data'], 'data', ctx);
    const replace = !hasOperators(data);
    const result = ctx.store.update(
      collectionName(body),
      { _id: docId(body) },
      data,
      { multi: false, upsert: flag(body, 'upsert', false), replace },
      requiredTransactionId(body),
    );
    return {
      updated: encodeEJSON(result.updated),
      upserted: result.upsertedId ? JSON.stringify([{ _id: result.upsertedId }]) : null,
    };
  },
  'database.deleteDocInTransaction': (body, ctx) => ({
    deleted: encodeEJSON(
      ctx.store.remove(collectionName(body), { _id: docId(body) }, { multi: false }, requiredTransactionId(body)),
    ),
  }),

  'functions.invokeFunction': async (body, ctx) => {
    const name = body['function_name'];
    if (typeof name !== 'string' || !/^[A-Za-z][\w-]{0,59}$/.test(name))
      throw new ProtocolError('INVALID_PARAM', 'function_name is missing or invalid');
    const raw = body['request_data'];
    let event: unknown = {};
    if (typeof raw === 'string' && raw !== '') {
      try {
        event = JSON.parse(raw);
      } catch {
        throw new ProtocolError('INVALID_PARAM', 'request_data is not JSON');
      }
    }
    const result = await ctx.invokeFunction(name, event);
    return { data: { response_data: JSON.stringify(result ?? null) } };
  },

  'storage.getUploadMetadata': (body, ctx) => ({ data: ctx.storage.uploadMetadata(body['path'], ctx.openid || null) }),
  'storage.batchGetDownloadUrl': (body, ctx) => ({
    data: { download_list: ctx.storage.downloadUrls(body['file_list']) },
  }),
  'storage.batchDeleteFile': (body, ctx) => ({ data: { delete_list: ctx.storage.deleteFiles(body['fileid_list']) } }),

  'wx.openApi': (body, ctx) => ctx.openApi('wx.openApi', body),
  'wx.wxPayApi': (body, ctx) => ctx.openApi('wx.wxPayApi', body),
};

/** Answers one request of the SDK's /admin protocol. Never throws: every failure becomes `{ code, message }`. */
export async function handleAdminRequest(body: unknown, ctx: AdminContext): Promise<AdminReply | RawReply> {
  try {
    if (!isRecord(body)) throw new ProtocolError('INVALID_PARAM', 'request body must be a JSON object');
    const action = body['action'];
    if (typeof action !== 'string') throw new ProtocolError('INVALID_PARAM', 'action is missing');
    const handler = handlers[action];
    if (!handler) throw new ProtocolError('UNSUPPORTED_ACTION', `the local cloud does not support action ${action}`);
    const reply = await handler(body, ctx);
    return reply instanceof RawReply ? reply : { ...reply, requestId: ctx.requestId };
  } catch (error) {
    return { ...errorReply(error), requestId: ctx.requestId };
  }
}

function errorReply(error: unknown): { code: string; message: string } {
  if (error instanceof StoreError) {
    // The code is repeated in the message: wx-server-sdk keeps only the message when it wraps the error.
    const code = STORE_CODE_TO_CLOUD[error.code] ?? 'DATABASE_REQUEST_FAILED';
    return { code, message: `[${code}] ${error.message}` };
  }
  if (error instanceof ProtocolError) return { code: error.code, message: `[${error.code}] ${error.message}` };
  return { code: 'SYS_ERR', message: `[SYS_ERR] ${(error as Partial<Error> | undefined)?.message ?? String(error)}` };
}

/** A found document as the cloud answers it: its stored text when it is unchanged, which is relaxed EJSON already. */
function encodeFound(doc: unknown): string {
  return storedText(doc) ?? encodeEJSON(doc);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collectionName(body: Record<string, unknown>): string {
  const name = body['collectionName'];
  // The cloud's collection-name rule: letters, digits, _ and -, starting with a letter or _, at most 128 characters.
  if (typeof name !== 'string' || !/^[A-Za-z_][\w-]{0,127}$/.test(name)) {
    throw new ProtocolError('INVALID_PARAM', `collectionName ${JSON.stringify(name)} is invalid`);
  }
  return name;
}

/** multi/upsert/merge: a boolean or absent; anything else (e.g. "true") is refused rather than read as false. */
function flag(body: Record<string, unknown>, field: string, absent: boolean): boolean {
  const value = body[field];
  if (value === undefined || value === null) return absent;
  if (typeof value !== 'boolean') throw new ProtocolError('INVALID_PARAM', `${field} must be a boolean`);
  return value;
}

function transactionId(body: Record<string, unknown>): string | undefined {
  const id = body['transactionId'];
  if (id === undefined || id === null || id === '') return undefined;
  if (typeof id !== 'string') throw new ProtocolError('INVALID_PARAM', 'transactionId must be a string');
  return id;
}

function requiredTransactionId(body: Record<string, unknown>): string {
  const id = transactionId(body);
  if (!id) throw new ProtocolError('INVALID_PARAM', 'transactionId is missing');
  return id;
}

function docId(body: Record<string, unknown>): string {
  const id = body['_id'];
  if (typeof id !== 'string' || id === '') throw new ProtocolError('INVALID_PARAM', '_id is missing');
  return id;
}

function decodeObject(raw: unknown, field: string, ctx: AdminContext): Record<string, unknown> {
  const value = decodeEJSON(raw, field, ctx.now());
  if (!isRecord(value)) throw new ProtocolError('INVALID_PARAM', `${field} must be an object`);
  return value;
}

function optionalFilter(body: Record<string, unknown>, field: string, ctx: AdminContext): Filter {
  return body[field] === undefined || body[field] === '' ? {} : decodeObject(body[field], field, ctx);
}

function hasOperators(update: Record<string, unknown>): boolean {
  return Object.keys(update).some((key) => key.startsWith('$'));
}

function sortSpec(order: Record<string, unknown>): SortSpec {
  const sort: SortSpec = {};
  for (const [field, direction] of Object.entries(order)) {
    if (direction !== 1 && direction !== -1)
      throw new ProtocolError('INVALID_PARAM', `order of ${field} must be 1 or -1`);
    sort[field] = direction;
  }
  return sort;
}

function nonNegativeInt(raw: unknown, field: string): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0)
    throw new ProtocolError('INVALID_PARAM', `${field} must be a non-negative integer`);
  return raw;
}

function clampLimit(raw: unknown): number {
  const limit = nonNegativeInt(raw, 'limit');
  if (limit === undefined || limit === 0) return DEFAULT_LIMIT;
  return Math.min(limit, MAX_LIMIT);
}
