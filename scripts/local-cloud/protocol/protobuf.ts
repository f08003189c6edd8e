/**
 * The two protobuf messages of wx-server-sdk's open-API calls (`wx.openApi`), as its bundled
 * src/protobuf/openapi.js declares them (protobufjs static code, schema "openapi"):
 *
 *   CommApiData     { 1 apiType: int32 (0 OPEN_API), 2 openapiData: OpenApiData, 3 innerData, 4 svrkitData,
 *                     5 tokenData, 6 appid: string }
 *   OpenApiData     { 1 pairs: repeated KeyValuePair }
 *   KeyValuePair    { 1 key: string, 2 value: bytes (the JSON of one top-level parameter), 3 contenttype: string,
 *                     4 filename: string }
 *   CommOpenApiResp { 1 respData: bytes (WeChat's answer), 2 contentType: string, 3 errorCode: int32 (a cloud-side
 *                     refusal such as -604101), 4 httpCode: uint32, 5 headers: repeated HttpHeader, 6 svrkitErrorCode }
 *
 * Five wire-format primitives are all these messages need, so they are written here rather than pulling in a
 * protobuf runtime the project does not declare; test/local-cloud/openapi.test.ts checks them against the SDK's own.
 */

export interface KeyValuePair {
  key: string;
  value: Buffer;
  contentType?: string;
  filename?: string;
}

export interface CommApiData {
  apiType: number;
  appid: string;
  pairs: KeyValuePair[];
}

export interface CommOpenApiResp {
  respData: Buffer;
  contentType: string;
  errorCode?: number;
  httpCode?: number;
}

export class ProtobufError extends Error {}

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** A varint as a BigInt: int32 fields carry negative numbers as 10-byte two's-complement varints. */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw new ProtobufError('truncated varint');
      const byte = this.buf[this.pos++] ?? 0;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  bytes(): Buffer {
    const length = Number(this.varint());
    if (length > this.buf.length - this.pos) throw new ProtobufError('length-delimited field runs past the end');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(wireType: number): void {
    if (wireType === VARINT) this.varint();
    else if (wireType === BYTES) this.bytes();
    else if (wireType === FIXED64 || wireType === FIXED32) {
      const size = wireType === FIXED64 ? 8 : 4;
      if (size > this.buf.length - this.pos) throw new ProtobufError('fixed-width field runs past the end');
      this.pos += size;
    } else throw new ProtobufError(`unsupported wire type ${wireType}`);
  }

  /** Each (field number, wire type) in order; the caller reads or skips the value. */
  *fields(): Generator<[number, number]> {
    while (!this.done) {
      const tag = Number(this.varint());
      yield [tag >>> 3, tag & 7];
    }
  }
}

function int32(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

function expect(wireType: number, wanted: number, field: string): void {
  if (wireType !== wanted) throw new ProtobufError(`${field} has wire type ${wireType}, expected ${wanted}`);
}

function decodePair(buf: Buffer): KeyValuePair {
  const reader = new Reader(buf);
  const pair: KeyValuePair = { key: '', value: Buffer.alloc(0) };
  for (const [field, wireType] of reader.fields()) {
    switch (field) {
      case 1:
        expect(wireType, BYTES, 'KeyValuePair.key');
        pair.key = reader.bytes().toString('utf8');
        break;
      case 2:
        expect(wireType, BYTES, 'KeyValuePair.value');
        pair.value = Buffer.from(reader.bytes());
        break;
      case 3:
        expect(wireType, BYTES, 'KeyValuePair.contenttype');
        pair.contentType = reader.bytes().toString('utf8');
        break;
      case 4:
        expect(wireType, BYTES, 'KeyValuePair.filename');
        pair.filename = reader.bytes().toString('utf8');
        break;
      default:
        reader.skip(wireType);
    }
  }
  return pair;
}

function decodePairs(buf: Buffer): KeyValuePair[] {
  const reader = new Reader(buf);
  const pairs: KeyValuePair[] = [];
  for (const [field, wireType] of reader.fields()) {
    if (field !== 1) {
      reader.skip(wireType);
      continue;
    }
    expect(wireType, BYTES, 'OpenApiData.pairs');
    pairs.push(decodePair(reader.bytes()));
  }
  return pairs;
}

export function decodeCommApiData(buf: Buffer): CommApiData {
  const reader = new Reader(buf);
  const out: CommApiData = { apiType: 0, appid: '', pairs: [] };
  for (const [field, wireType] of reader.fields()) {
    switch (field) {
      case 1:
        expect(wireType, VARINT, 'CommApiData.apiType');
        out.apiType = int32(reader.varint());
        break;
      case 2:
        expect(wireType, BYTES, 'CommApiData.openapiData');
        out.pairs.push(...decodePairs(reader.bytes()));
        break;
      case 6:
        expect(wireType, BYTES, 'CommApiData.appid');
        out.appid = reader.bytes().toString('utf8');
        break;
      default:
        reader.skip(wireType);
    }
  }
  return out;
}

class Writer {
  private readonly chunks: Buffer[] = [];

  varint(value: bigint): this {
    // Negative int32 values are sign-extended to 64 bits, as protobuf encodes them.
    let v = BigInt.asUintN(64, value);
    const bytes: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v !== 0n);
    this.chunks.push(Buffer.from(bytes));
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint(BigInt((field << 3) | wireType));
  }

  bytes(field: number, value: Buffer): this {
    this.tag(field, BYTES).varint(BigInt(value.length));
    this.chunks.push(value);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export function encodeCommOpenApiResp(resp: CommOpenApiResp): Buffer {
  const writer = new Writer();
  // protobufjs skips default values on the way out; doing the same keeps the bytes identical to WeChat's.
  if (resp.respData.length > 0) writer.bytes(1, resp.respData);
  if (resp.contentType !== '') writer.bytes(2, Buffer.from(resp.contentType, 'utf8'));
  if (resp.errorCode) writer.tag(3, VARINT).varint(BigInt(resp.errorCode));
  if (resp.httpCode) writer.tag(4, VARINT).varint(BigInt(resp.httpCode));
  return writer.finish();
}

/** For tests: the request side, so the codec can be checked in both directions against the SDK's. */
export function encodeCommApiData(data: CommApiData): Buffer {
  const pairs = new Writer();
  for (const pair of data.pairs) {
    const one = new Writer().bytes(1, Buffer.from(pair.key, 'utf8')).bytes(2, pair.value);
    if (pair.contentType) one.bytes(3, Buffer.from(pair.contentType, 'utf8'));
    if (pair.filename) one.bytes(4, Buffer.from(pair.filename, 'utf8'));
    pairs.bytes(1, one.finish());
  }
  const writer = new Writer();
  if (data.apiType) writer.tag(1, VARINT).varint(BigInt(data.apiType));
  writer.bytes(2, pairs.finish());
  if (data.appid) writer.bytes(6, Buffer.from(data.appid, 'utf8'));
  return writer.finish();
}

export function decodeCommOpenApiResp(buf: Buffer): CommOpenApiResp {
  const reader = new Reader(buf);
  const out: CommOpenApiResp = { respData: Buffer.alloc(0), contentType: '' };
  for (const [field, wireType] of reader.fields()) {
    switch (field) {
      case 1:
        expect(wireType, BYTES, 'CommOpenApiResp.respData');
        out.respData = Buffer.from(reader.bytes());
        break;
      case 2:
        expect(wireType, BYTES, 'CommOpenApiResp.contentType');
        out.contentType = reader.bytes().toString('utf8');
        break;
      case 3:
        expect(wireType, VARINT, 'CommOpenApiResp.errorCode');
        out.errorCode = int32(reader.varint());
        break;
      case 4:
        expect(wireType, VARINT, 'CommOpenApiResp.httpCode');
        out.httpCode = Number(BigInt.asUintN(32, reader.varint()));
        break;
      default:
        reader.skip(wireType);
    }
  }
  return out;
}
