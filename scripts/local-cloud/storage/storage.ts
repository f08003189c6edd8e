/**
 * Cloud storage, as wx-server-sdk reaches it (read from @cloudbase/node-sdk 3.17.2's storage module):
 *   uploadFile     → /admin storage.getUploadMetadata { path, method: 'put' } → { data: { url, token, authorization,
 *                    fileId, cosFileId } }, then PUT <url> with the bytes and headers authorization, Signature,
 *                    x-cos-security-token, x-cos-meta-fileid, key; COS answers '' or an <Error> XML
 *   getTempFileURL → storage.batchGetDownloadUrl { file_list: [{ fileid, max_age }] } → { data: { download_list } }
 *   downloadFile   → the same, then GET the temp URL
 *   deleteFile     → storage.batchDeleteFile { fileid_list } → { data: { delete_list } }
 * Here the "COS bucket" is `<data>/storage/`: bytes in blobs/, one JSON side file per object in meta/ (the commit
 * point), both named from a random id or a hash of the cloud path — never from the path itself, so no cloudPath can
 * reach outside the folder. URLs point at this server (GET/PUT /storage/<cloudPath>), signed with a secret kept in
 * the folder, so uploads and temp URLs survive a restart.
 * Writes follow the storage permission 仅创建者可读写: a mini program (POST /storage/upload) creates files or
 * overwrites its own; cloud functions (the SDK's signed PUT) write anything. Reads go by signed URL, as on COS.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  fstatSync,
} from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { LocalClock } from '../clock';
import { ProtocolError, type StorageApi } from '../protocol/admin';

export interface StorageOptions {
  dataDir: string;
  envId: string;
  clock: LocalClock;
  /** Largest object accepted, in bytes (the CLI's --max-file-mb). */
  maxFileBytes: number;
  /** http://host:port of this server, for the URLs it hands out. */
  baseUrl: () => string;
}

export interface FileMeta {
  cloudPath: string;
  fileID: string;
  size: number;
  contentType: string;
  sha256: string;
  uploadedAt: string;
  /** The openid whose function or page uploaded it; null for a server-side upload without a user. */
  uploader: string | null;
  /**
   * The mini program user who created it with a client upload: the only client that may overwrite it. null when a
   * cloud function (or a client that named no openid) wrote it last; side files from before this field read as null.
   */
  owner: string | null;
  blob: string;
}

/** A mini program's write (POST /storage/upload), as the user it came from; cloud functions write as `null`. */
interface ClientWrite {
  readonly openid: string | null;
}

export interface DownloadEntry {
  fileID: string;
  tempFileURL: string;
  code: string;
  maxAge?: number;
  message?: string;
}

export interface DeleteEntry {
  fileID: string;
  code: string;
  message?: string;
}

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** A temp URL without max_age lives 2 hours; the SDK's downloadFile asks for 600 s. */
const DEFAULT_MAX_AGE_S = 7200;
const UPLOAD_TTL_S = 600;
/** WeChat takes at most 50 files per getTempFileURL / deleteFile call. */
const MAX_BATCH = 50;
/** COS keys are at most 850 bytes. */
const MAX_CLOUD_PATH_BYTES = 850;
/** The characters the cloud documents for cloudPath: 0-9 a-z A-Z / ! - _ . * and Chinese. */
const CLOUD_PATH_CHARS = /^[0-9A-Za-z/!\-_.*\p{Script=Han}]+$/u;
/** Bytes read and dropped after the limit, so the client hears the refusal instead of a reset connection. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  zip: 'application/zip',
};

export class StorageHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface UploadToken {
  p: string;
  u: string | null;
  e: number;
  i: string;
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Why a cloudPath is refused, or null when it is fine. */
function cloudPathProblem(cloudPath: unknown): string | null {
  if (typeof cloudPath !== 'string' || cloudPath === '') return 'cloudPath must be a non-empty string';
  if (Buffer.byteLength(cloudPath) > MAX_CLOUD_PATH_BYTES)
    return `cloudPath is longer than ${MAX_CLOUD_PATH_BYTES} bytes`;
  if (!CLOUD_PATH_CHARS.test(cloudPath))
    return `cloudPath ${JSON.stringify(cloudPath)} may hold only 0-9 a-z A-Z / ! - _ . * and Chinese characters`;
  if (cloudPath.startsWith('/') || cloudPath.endsWith('/'))
    return `cloudPath ${JSON.stringify(cloudPath)} must not start or end with /`;
  // `a//b`, `./` and `../` mean nothing to COS but are rewritten by browsers and URL parsers: refused, so every
  // path has exactly one URL.
  if (cloudPath.split('/').some((segment) => segment === '' || segment === '.' || segment === '..'))
    return `cloudPath ${JSON.stringify(cloudPath)} has an empty, "." or ".." segment`;
  return null;
}

export class LocalStorage implements StorageApi {
  readonly bucket: string;
  private readonly root: string;
  private readonly secret: Buffer;

  constructor(private readonly options: StorageOptions) {
    // The cloud's bucket name: hex of the env id's first two characters, the env id, a Tencent Cloud app id.
    this.bucket = `${Buffer.from(options.envId.slice(0, 2)).toString('hex')}-${options.envId}-1300000000`;
    this.root = path.join(options.dataDir, 'storage');
    // Uploads cut short by a stop leave staging files behind; nothing refers to them.
    rmSync(path.join(this.root, 'tmp'), { recursive: true, force: true });
    for (const dir of ['blobs', 'meta', 'tmp']) mkdirSync(path.join(this.root, dir), { recursive: true });
    const secretFile = path.join(this.root, 'secret');
    if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    this.secret = Buffer.from(readFileSync(secretFile, 'utf8').trim(), 'hex');
  }

  get maxFileBytes(): number {
    return this.options.maxFileBytes;
  }

  fileId(cloudPath: string): string {
    return `cloud://${this.options.envId}.${this.bucket}/${cloudPath}`;
  }

  /** The cloud path of one of this bucket's file IDs, or null for anything else. */
  cloudPathOf(fileID: string): string | null {
    const prefix = `cloud://${this.options.envId}.${this.bucket}/`;
    if (!fileID.startsWith(prefix)) return null;
    const cloudPath = fileID.slice(prefix.length);
    return cloudPathProblem(cloudPath) === null ? cloudPath : null;
  }

  meta(cloudPath: string): FileMeta | null {
    try {
      return JSON.parse(readFileSync(this.metaFile(cloudPath), 'utf8')) as FileMeta;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
  uploadMetadata(cloudPath: unknown, uploader: string | null): Record<string, unknown> {
    const problem = cloudPathProblem(cloudPath);
    if (problem) throw new ProtocolError('INVALID_PARAM', problem);
    const path_ = cloudPath as string;
    const cosFileId = randomUUID();
    const token = Buffer.from(
      JSON.stringify({
        p: path_,
        u: uploader,
        e: this.nowSeconds() + UPLOAD_TTL_S,
        i: cosFileId,
      } satisfies UploadToken),
    ).toString('base64url');
    return {
      url: this.objectUrl(path_),
      token,
      authorization: this.sign(`put\n${token}`),
      fileId: this.fileId(path_),
      cosFileId,
      download_url: this.objectUrl(path_),
    };
  }

  downloadUrls(fileList: unknown): DownloadEntry[] {
    if (!Array.isArray(fileList) || fileList.length === 0)
      throw new ProtocolError('INVALID_PARAM', 'file_list must be a non-empty array');
    if (fileList.length > MAX_BATCH)
      throw new ProtocolError(
        'INVALID_PARAM',
        `file_list holds ${fileList.length} files; at most ${MAX_BATCH} per call`,
      );
    return fileList.map((item: unknown): DownloadEntry => {
      const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
      const fileID = typeof record['fileid'] === 'string' ? record['fileid'] : '';
      const rawAge = record['max_age'];
      const maxAge = typeof rawAge === 'number' && Number.isInteger(rawAge) && rawAge > 0 ? rawAge : DEFAULT_MAX_AGE_S;
      const cloudPath = this.cloudPathOf(fileID);
      if (cloudPath === null || this.meta(cloudPath) === null)
        return { fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' };
      return { fileID, tempFileURL: this.tempUrl(cloudPath, maxAge), code: 'SUCCESS', maxAge };
    });
  }

  deleteFiles(fileList: unknown): DeleteEntry[] {
    if (!Array.isArray(fileList) || fileList.length === 0)
      throw new ProtocolError('INVALID_PARAM', 'fileid_list must be a non-empty array');
    if (fileList.length > MAX_BATCH)
      throw new ProtocolError(
        'INVALID_PARAM',
        `fileid_list holds ${fileList.length} files; at most ${MAX_BATCH} per call`,
      );
    return fileList.map((item: unknown): DeleteEntry => {
      const fileID = typeof item === 'string' ? item : '';
      const cloudPath = this.cloudPathOf(fileID);
      const meta = cloudPath === null ? null : this.meta(cloudPath);
      if (cloudPath === null || meta === null)
        return { fileID, code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' };
      // The side file goes first: once it is gone the object is gone, even if removing the bytes is cut short.
      unlinkSync(this.metaFile(cloudPath));
      rmSync(this.blobFile(meta.blob), { force: true });
      return { fileID, code: 'SUCCESS' };
    });
  }
  /** Answers /storage/… requests; false when the request is not one of them. */
  handles(req: http.IncomingMessage): boolean {
    return (req.url ?? '').startsWith('/storage/');
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://local');
      const method = req.method ?? 'GET';
      if (method === 'POST' && url.pathname === '/storage/upload') {
        await this.handleUpload(req, res, url);
        return;
      }
      if (method === 'POST' && url.pathname === '/storage/temp-url') {
        await this.handleTempUrl(req, res);
        return;
      }
      let cloudPath: string;
      try {
        cloudPath = decodeURIComponent(url.pathname.slice('/storage/'.length));
      } catch {
        throw new StorageHttpError(400, 'InvalidURI', 'the path is not valid percent-encoding');
      }
      if (method === 'PUT') {
        await this.handlePut(req, res, cloudPath);
        return;
      }
      if (method === 'GET' || method === 'HEAD') {
        this.handleGet(req, res, cloudPath, url.searchParams);
        return;
      }
      throw new StorageHttpError(405, 'MethodNotAllowed', `${method} is not supported on /storage/`);
    } catch (error) {
      req.resume();
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const e =
        error instanceof StorageHttpError
          ? error
          : new StorageHttpError(500, 'InternalError', (error as Partial<Error> | undefined)?.message ?? String(error));
      // The preview's endpoints answer JSON like the rest of the local cloud; the bucket answers COS's XML.
      if (req.method === 'POST') sendJson(res, e.status, { errCode: e.code, errMsg: e.message });
      else sendCosError(res, e, req.url ?? '');
    }
  }

  /** PUT /storage/<cloudPath>: the COS upload the SDK makes with what getUploadMetadata gave it. */
  private async handlePut(req: http.IncomingMessage, res: http.ServerResponse, cloudPath: string): Promise<void> {
    const tokenText = header(req, 'x-cos-security-token');
    const authorization = header(req, 'authorization');
    if (!tokenText || !sameText(authorization, this.sign(`put\n${tokenText}`)))
      throw new StorageHttpError(
        403,
        'SignatureDoesNotMatch',
        'the upload signature does not match: ask storage.getUploadMetadata for this cloudPath',
      );
    let token: UploadToken;
    try {
      token = JSON.parse(Buffer.from(tokenText, 'base64url').toString('utf8')) as UploadToken;
    } catch {
      throw new StorageHttpError(403, 'InvalidToken', 'x-cos-security-token is not a local-cloud upload token');
    }
    if (token.p !== cloudPath)
      throw new StorageHttpError(403, 'AccessDenied', `this upload was signed for ${token.p}, not ${cloudPath}`);
    if (token.e < this.nowSeconds())
      throw new StorageHttpError(403, 'AccessDenied', 'Request has expired (upload metadata lives 600 s)');
    // Only cloud functions reach getUploadMetadata (through /admin): a server write, with full rights.
    const meta = await this.receive(req, cloudPath, token.u, header(req, 'content-type'), null);
    res.writeHead(200, { 'content-length': 0, etag: `"${meta.sha256}"`, 'x-cos-request-id': randomUUID() });
    res.end();
  }

  /** POST /storage/upload?cloudPath=…, header X-WX-OPENID: what wx.cloud.uploadFile does for a page (a client write). */
  private async handleUpload(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const openid = header(req, 'x-wx-openid');
    if (openid !== '' && !/^[\w-]{1,64}$/.test(openid))
      throw new StorageHttpError(
        400,
        'INVALID_OPENID',
        'header X-WX-OPENID must be the uploader openid: 1-64 of [A-Za-z0-9_-]',
      );
    const type = header(req, 'content-type');
    const client: ClientWrite = { openid: openid || null };
    let cloudPath = url.searchParams.get('cloudPath') ?? '';
    let meta: FileMeta;
    if (type.startsWith('multipart/form-data')) {
      // A form: the bytes in a `file` part, cloudPath in the query or a `cloudPath` part.
      const raw = await readLimited(req, this.options.maxFileBytes + 64 * 1024, this.tooLarge());
      let form: FormData;
      try {
        // Deprecated for servers because it buffers the whole body; readLimited has already bounded it.
        // eslint-disable-next-line @typescript-eslint/no-deprecated
        form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      } catch {
        throw new StorageHttpError(400, 'INVALID_MULTIPART', 'the body is not valid multipart/form-data');
      }
      const field = form.get('cloudPath');
      if (!cloudPath && typeof field === 'string') cloudPath = field;
      const file = form.get('file');
      if (file === null || typeof file === 'string')
        throw new StorageHttpError(400, 'INVALID_PARAM', 'the form needs a `file` part holding the bytes');
      this.checkPath(cloudPath);
      const bytes = Buffer.from(await file.arrayBuffer());
      if (bytes.length > this.options.maxFileBytes) throw this.tooLarge();
      meta = this.commitBuffer(cloudPath, bytes, openid || null, file.type, client);
    } else {
      this.checkPath(cloudPath);
      // Refused before the body is stored; commit() checks again, against whatever is there by then.
      this.checkClientWrite(cloudPath, client, this.meta(cloudPath));
      meta = await this.receive(req, cloudPath, openid || null, type, client);
    }
    sendJson(res, 200, {
      fileID: meta.fileID,
      cloudPath: meta.cloudPath,
      size: meta.size,
      contentType: meta.contentType,
      statusCode: 200,
      errMsg: 'cloud.uploadFile:ok',
    });
  }

  /** POST /storage/temp-url { fileList }: wx.cloud.getTempFileURL for a page. */
  private async handleTempUrl(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readLimited(
      req,
      256 * 1024,
      new StorageHttpError(413, 'BODY_TOO_LARGE', 'the body is over 256 KB'),
    );
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new StorageHttpError(400, 'INVALID_JSON', 'send { "fileList": [fileID | { fileID, maxAge }] }');
    }
    const list = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['fileList'] : undefined;
    if (!Array.isArray(list))
      throw new StorageHttpError(400, 'INVALID_PARAM', 'send { "fileList": [fileID | { fileID, maxAge }] }');
    let entries: DownloadEntry[];
    try {
      entries = this.downloadUrls(
        list.map((item: unknown) =>
          typeof item === 'string'
            ? { fileid: item }
            : {
                fileid: (item as Record<string, unknown> | null)?.['fileID'],
                max_age: (item as Record<string, unknown> | null)?.['maxAge'],
              },
        ),
      );
    } catch (error) {
      throw new StorageHttpError(400, 'INVALID_PARAM', (error as Error).message);
    }
    // The client SDK's shape: status 0 and errMsg 'ok', or the cloud's error number.
    const fileList = entries.map((e) =>
      e.code === 'SUCCESS'
        ? { fileID: e.fileID, tempFileURL: e.tempFileURL, maxAge: e.maxAge, status: 0, errMsg: 'ok' }
        : { fileID: e.fileID, tempFileURL: '', status: -503003, errMsg: 'storage file not exists' },
    );
    sendJson(res, 200, { fileList, errMsg: 'cloud.getTempFileURL:ok' });
  }

  /** GET|HEAD /storage/<cloudPath>?sign=…&t=…: a temp URL, checked like COS checks its signed URLs. */
  private handleGet(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    cloudPath: string,
    query: URLSearchParams,
  ): void {
    const t = Number(query.get('t'));
    const sign = query.get('sign') ?? '';
    if (!Number.isInteger(t) || !sameText(sign, this.urlSign(cloudPath, t)))
      throw new StorageHttpError(
        403,
        'AccessDenied',
        'the URL is not signed for this file: ask getTempFileURL for one',
      );
    if (t < this.nowSeconds()) throw new StorageHttpError(403, 'AccessDenied', 'Request has expired');
    // Meta then the open file, with nothing in between: an overwrite commits synchronously, so both are of one version.
    const meta = this.meta(cloudPath);
    let fd: number;
    try {
      if (!meta) throw Object.assign(new Error('no object'), { code: 'ENOENT' });
      fd = openSync(this.blobFile(meta.blob), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new StorageHttpError(404, 'NoSuchKey', 'The specified key does not exist.');
      throw error;
    }
    const m = meta;
    res.writeHead(200, {
      'content-type': m.contentType,
      'content-length': fstatSync(fd).size,
      etag: `"${m.sha256}"`,
      'last-modified': new Date(m.uploadedAt).toUTCString(),
      'cache-control': 'private, no-cache',
      // COS returns an object's custom metadata as x-cos-meta-* headers; the uploader is ours.
      ...(m.uploader ? { 'x-cos-meta-uploader': m.uploader } : {}),
    });
    if (req.method === 'HEAD') {
      closeSync(fd);
      res.end();
      return;
    }
    createReadStream('', { fd }).pipe(res);
  }
  private checkPath(cloudPath: string): void {
    const problem = cloudPathProblem(cloudPath);
    if (problem) throw new StorageHttpError(400, 'INVALID_CLOUD_PATH', problem);
  }

  /**
   * The storage permission the README asks deployers to set, 仅创建者可读写: a client may create a file, or overwrite
   * one it created itself; another user's file, or one a cloud function wrote, is the SDK's STORAGE_EXCEED_AUTHORITY.
   */
  private checkClientWrite(cloudPath: string, client: ClientWrite, existing: FileMeta | null): void {
    if (existing === null) return;
    if (client.openid !== null && (existing.owner ?? null) === client.openid) return;
    throw new StorageHttpError(
      403,
      'STORAGE_EXCEED_AUTHORITY',
      `permission denied: ${cloudPath} was not created by this user (storage permission 仅创建者可读写: a mini program may overwrite only files it created)`,
    );
  }

  private tooLarge(): StorageHttpError {
    const mb = (this.options.maxFileBytes / 1024 / 1024).toFixed(
      this.options.maxFileBytes % (1024 * 1024) === 0 ? 0 : 2,
    );
    return new StorageHttpError(
      413,
      'EntityTooLarge',
      `the file is larger than the local cloud's limit of ${this.options.maxFileBytes} bytes (${mb} MB, --max-file-mb)`,
    );
  }

  /** Streams a request body into a staging file (never past the limit), then commits it. */
  private async receive(
    req: http.IncomingMessage,
    cloudPath: string,
    uploader: string | null,
    declaredType: string,
    client: ClientWrite | null,
  ): Promise<FileMeta> {
    const declared = Number(req.headers['content-length']);
    const tmp = path.join(this.root, 'tmp', randomUUID());
    const fd = openSync(tmp, 'w');
    const hash = createHash('sha256');
    let size = 0;
    let over = false;
    try {
      if (Number.isFinite(declared) && declared > this.options.maxFileBytes) over = true;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > this.options.maxFileBytes) over = true;
        if (over) {
          // Keep reading so the client gets the answer; a body far past the limit is cut off.
          if (size > this.options.maxFileBytes + DRAIN_LIMIT_BYTES) {
            req.destroy();
            break;
          }
          continue;
        }
        writeSync(fd, chunk);
        hash.update(chunk);
      }
      if (over) throw this.tooLarge();
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw error;
    }
    closeSync(fd);
    return this.commit(cloudPath, tmp, size, hash.digest('hex'), uploader, declaredType, client);
  }

  private commitBuffer(
    cloudPath: string,
    bytes: Buffer,
    uploader: string | null,
    declaredType: string,
    client: ClientWrite | null,
  ): FileMeta {
    const tmp = path.join(this.root, 'tmp', randomUUID());
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return this.commit(cloudPath, tmp, bytes.length, sha256(bytes), uploader, declaredType, client);
  }

  /**
   * Makes a staged file the object at cloudPath. Synchronous from start to end, so concurrent uploads of one path
   * (and downloads of it) never see a side file and a blob of different versions; the side file's rename is the
   * commit, and the replaced version's bytes are removed after it. A client write (`client` not null) is checked
   * here against the version it would replace, in the same synchronous step, so no concurrent upload slips past.
   */
  private commit(
    cloudPath: string,
    tmp: string,
    size: number,
    digest: string,
    uploader: string | null,
    declaredType: string,
    client: ClientWrite | null,
  ): FileMeta {
    const previous = this.meta(cloudPath);
    if (client !== null) {
      try {
        this.checkClientWrite(cloudPath, client, previous);
      } catch (error) {
        rmSync(tmp, { force: true });
        throw error;
      }
    }
    const blob = `${sha256(cloudPath).slice(0, 16)}-${randomUUID()}`;
    renameSync(tmp, this.blobFile(blob));
    const meta: FileMeta = {
      cloudPath,
      fileID: this.fileId(cloudPath),
      size,
      contentType: contentTypeFor(cloudPath, declaredType),
      sha256: digest,
      uploadedAt: this.options.clock.now().toISOString(),
      uploader,
      owner: client === null ? null : client.openid,
      blob,
    };
    const metaTmp = path.join(this.root, 'tmp', `${randomUUID()}.json`);
    const fd = openSync(metaTmp, 'w');
    try {
      writeSync(fd, JSON.stringify(meta));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(metaTmp, this.metaFile(cloudPath));
    syncDir(path.join(this.root, 'blobs'));
    syncDir(path.join(this.root, 'meta'));
    if (previous && previous.blob !== blob) rmSync(this.blobFile(previous.blob), { force: true });
    return meta;
  }
  private metaFile(cloudPath: string): string {
    return path.join(this.root, 'meta', `${sha256(cloudPath)}.json`);
  }

  private blobFile(blob: string): string {
    // Blob ids are made here (hex + uuid); a tampered side file still cannot name a file elsewhere.
    if (!/^[0-9a-f]{16}-[0-9a-f-]{36}$/.test(blob)) throw new Error(`invalid blob id ${JSON.stringify(blob)}`);
    return path.join(this.root, 'blobs', blob);
  }

  private objectUrl(cloudPath: string): string {
    // Raw, not percent-encoded: the SDK runs encodeURI over the URLs it is given, as COS's are raw too.
    return `${this.options.baseUrl()}/storage/${cloudPath}`;
  }

  private tempUrl(cloudPath: string, maxAge: number): string {
    const t = this.nowSeconds() + maxAge;
    return `${this.objectUrl(cloudPath)}?sign=${this.urlSign(cloudPath, t)}&t=${t}`;
  }

  private urlSign(cloudPath: string, t: number): string {
    return this.sign(`get\n${cloudPath}\n${t}`).slice(0, 32);
  }

  private sign(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('hex');
  }

  private nowSeconds(): number {
    return Math.floor(this.options.clock.now().getTime() / 1000);
  }
}

function header(req: http.IncomingMessage, name: string): string {
  const value = req.headers[name];
  return typeof value === 'string' ? value : '';
}

function contentTypeFor(cloudPath: string, declared: string): string {
  const ext = path.extname(cloudPath).slice(1).toLowerCase();
  const known = CONTENT_TYPES[ext];
  if (known) return known;
  const generic =
    declared === '' ||
    declared.startsWith('application/octet-stream') ||
    declared.startsWith('multipart/') ||
    declared.startsWith('application/x-www-form-urlencoded');
  return generic ? 'application/octet-stream' : declared;
}

function readLimited(req: http.IncomingMessage, limit: number, tooLarge: StorageHttpError): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit + DRAIN_LIMIT_BYTES) req.destroy();
      if (size > limit) return;
      chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(tooLarge) : resolve(Buffer.concat(chunks))));
    // A body cut off past the drain limit closes without 'end'.
    req.on('close', () => reject(tooLarge));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** COS's error body: the SDK's uploadFile reads Code, Message, RequestId and TraceId from it. */
function sendCosError(res: http.ServerResponse, error: StorageHttpError, resource: string): void {
  const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const id = randomUUID();
  const xml =
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n  <Code>${esc(error.code)}</Code>\n  <Message>${esc(error.message)}</Message>\n` +
    `  <Resource>${esc(resource.split('?')[0] ?? '')}</Resource>\n  <RequestId>${id}</RequestId>\n  <TraceId>${id}</TraceId>\n</Error>\n`;
  res.writeHead(error.status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(xml),
    'x-cos-request-id': id,
  });
  res.end(xml);
}
