/**
 * Cloud storage through the real wx-server-sdk (uploadFile's getUploadMetadata + COS-style PUT, getTempFileURL,
 * downloadFile, deleteFile) and the preview's HTTP upload: byte-exact round trips, the fileID format, signed and
 * expiring temp URLs, WeChat's error shapes for a missing file, cloud paths that cannot escape the data folder, the
 * size limit, the uploader's openid, who may overwrite a file (仅创建者可读写), and files that survive a restart.
 */
import { readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { functionsFolder, pointSdkAt, sdk, useLocalCloud } from '../helpers/local-cloud';
import { defined, match } from '../helpers/matchers';

jest.setTimeout(30_000);

const UPLOADER = `
const cloud = require('wx-server-sdk');
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
exports.main = async (event) => {
  const { fileID } = await cloud.uploadFile({ cloudPath: event.cloudPath, fileContent: Buffer.from(event.text) });
  const { fileContent } = await cloud.downloadFile({ fileID });
  return { fileID, text: fileContent.toString('utf8') };
};`;

const folder = functionsFolder({ uploader: { source: UPLOADER } });
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const cloud = useLocalCloud({ functions: folder, timers: false });

interface TempFile {
  fileID: string;
  tempFileURL: string;
  status: number;
  errMsg: string;
  maxAge?: number;
}

/** wx-server-sdk's storage calls, typed by what the SDK returns here (its d.ts unions them with void). */
interface Storage {
  uploadFile(p: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string }>;
  downloadFile(p: { fileID: string }): Promise<{ fileContent: Buffer; statusCode: number }>;
  getTempFileURL(p: {
    fileList: Array<string | { fileID: string; maxAge: number }>;
  }): Promise<{ fileList: TempFile[] }>;
  deleteFile(p: {
    fileList: string[];
  }): Promise<{ fileList: Array<{ fileID: string; status: number; errMsg: string }> }>;
}

let storage: Storage;
let restoreEnv: (() => void) | undefined;
beforeAll(() => {
  restoreEnv = pointSdkAt(cloud());
  storage = sdk();
});
afterAll(() => restoreEnv?.());

const BUCKET = 'cloud://local.6c6f-local-1300000000';
/** Every byte value, then some Chinese: what survives this survives anything. */
const BYTES = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from('桂A12345 驾驶证照片'),
]);

/** GET/HEAD/PUT/POST with a Buffer body and the raw answer (the helper's request() reads text); `url` unencoded. */
function raw(
  method: string,
  url: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      encodeURI(url),
      { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function tempUrl(fileID: string, maxAge = 600): Promise<string> {
  const { fileList } = await storage.getTempFileURL({ fileList: [{ fileID, maxAge }] });
  expect(fileList[0]?.status).toBe(0);
  return defined(fileList[0]).tempFileURL;
}

describe('through the SDK', () => {
  it('uploadFile → cloud://<env>.<bucket>/<cloudPath>; downloadFile gives the same bytes back', async () => {
    const { fileID } = await storage.uploadFile({ cloudPath: 'licences/驾驶证/front.png', fileContent: BYTES });
    expect(fileID).toBe(`${BUCKET}/licences/驾驶证/front.png`);
    const { fileContent, statusCode } = await storage.downloadFile({ fileID });
    expect(statusCode).toBe(200);
    expect(Buffer.compare(fileContent, BYTES)).toBe(0);
  });

  it('getTempFileURL gives a signed URL of this server that serves the file with its type', async () => {
    const { fileID } = await storage.uploadFile({ cloudPath: 'avatars/a.png', fileContent: BYTES });
    const { fileList } = await storage.getTempFileURL({ fileList: [fileID] });
    expect(fileList[0]).toMatchObject({ fileID, status: 0, errMsg: 'ok', maxAge: 7200 });
    expect(fileList[0]?.tempFileURL).toMatch(
      new RegExp(`^${cloud().url}/storage/avatars/a\\.png\\?sign=[0-9a-f]{32}&t=\\d+$`),
    );
    const got = await raw('GET', defined(fileList[0]).tempFileURL);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(got.body, BYTES)).toBe(0);
    const head = await raw('HEAD', defined(fileList[0]).tempFileURL);
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, String(BYTES.length), 0]);
  });

  it('a temp URL is refused when tampered with, when it names another file, and after it expires', async () => {
    const { fileID } = await storage.uploadFile({ cloudPath: 'expiring.txt', fileContent: Buffer.from('soon gone') });
    await storage.uploadFile({ cloudPath: 'other.txt', fileContent: Buffer.from('other') });
    const url = await tempUrl(fileID, 60);
    expect((await raw('GET', url)).status).toBe(200);
    const tampered = await raw(
      'GET',
      url.replace(/sign=[0-9a-f]/, (m) => (m.endsWith('0') ? `${m.slice(0, -1)}1` : `${m.slice(0, -1)}0`)),
    );
    expect(tampered.status).toBe(403);
    expect(tampered.body.toString()).toContain('<Code>AccessDenied</Code>');
    expect((await raw('GET', url.replace('expiring.txt', 'other.txt'))).status).toBe(403);
    // Two minutes later on the local cloud's clock, the 60-second URL has expired.
    await cloud().request('POST', '/sandbox/clock', JSON.stringify({ offsetMs: 120_000 }), {
      'content-type': 'application/json',
    });
    try {
      const late = await raw('GET', url);
      expect(late.status).toBe(403);
      expect(late.body.toString()).toContain('Request has expired');
    } finally {
      await cloud().request('POST', '/sandbox/clock', JSON.stringify({ offsetMs: 0 }), {
        'content-type': 'application/json',
      });
    }
  });

  it('a missing file: getTempFileURL status -503003, downloadFile throws as the SDK does (code STORAGE_FILE_NONEXIST)', async () => {
    const missing = `${BUCKET}/nowhere.png`;
    const elsewhere = 'cloud://other-env.6f74-other-env-1300000000/a.png';
    const { fileList } = await storage.getTempFileURL({ fileList: [missing, elsewhere] });
    for (const entry of fileList)
      expect(entry).toMatchObject({ status: -503003, errMsg: 'storage file not exists', tempFileURL: '' });
    const error = await storage.downloadFile({ fileID: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: 'STORAGE_FILE_NONEXIST',
      errCode: -1,
      message: 'downloadFile:fail storage file not exists',
    });
  });

  it('deleteFile removes the file (status 0), then reports it missing (-503003); its URLs answer 404', async () => {
    const { fileID } = await storage.uploadFile({ cloudPath: 'to-delete/x.jpg', fileContent: Buffer.from('x') });
    const url = await tempUrl(fileID);
    const first = await storage.deleteFile({ fileList: [fileID] });
    expect(first.fileList).toEqual([{ fileID, status: 0, errMsg: 'ok' }]);
    const again = await storage.deleteFile({ fileList: [fileID] });
    expect(again.fileList).toEqual([{ fileID, status: -503003, errMsg: 'storage file not exists' }]);
    await expect(storage.downloadFile({ fileID })).rejects.toMatchObject({ code: 'STORAGE_FILE_NONEXIST' });
    const gone = await raw('GET', url);
    expect(gone.status).toBe(404);
    expect(gone.body.toString()).toContain('<Code>NoSuchKey</Code>');
  });

  it('uploading to the same cloudPath replaces the file and leaves no old bytes behind', async () => {
    const blobs = () => readdirSync(path.join(cloud().dataDir, 'storage', 'blobs')).length;
    const { fileID } = await storage.uploadFile({ cloudPath: 'replace/me.txt', fileContent: Buffer.from('first') });
    const before = blobs();
    await Promise.all(
      [1, 2, 3].map((i) =>
        storage.uploadFile({ cloudPath: 'replace/me.txt', fileContent: Buffer.from(`version ${i}`) }),
      ),
    );
    expect((await storage.downloadFile({ fileID })).fileContent.toString()).toMatch(/^version [123]$/);
    expect(blobs()).toBe(before);
  });

  it('cloud paths that could leave the folder, or that COS does not take, are refused', async () => {
    for (const cloudPath of [
      '../outside.txt',
      'a/../../outside.txt',
      '/abs.txt',
      'a//b.txt',
      'dir/',
      './x.txt',
      'sp ace.txt',
      'q?.txt',
      '',
    ]) {
      await expect(storage.uploadFile({ cloudPath, fileContent: Buffer.from('x') })).rejects.toMatchObject({
        message: match.stringMatching(/uploadFile:fail/),
      });
    }
    const stored = readdirSync(path.join(cloud().dataDir, 'storage'));
    expect(stored.sort()).toEqual(['blobs', 'meta', 'secret', 'tmp']);
    // Nor can a URL reach outside: the path is only ever a lookup key.
    expect((await raw('GET', `${cloud().url}/storage/..%2F..%2Fsecret`)).status).toBe(403);
  });

  it('a file over the limit (10 MB by default) is refused at upload with a clear error; 10 MB exactly is taken', async () => {
    const limit = 10 * 1024 * 1024;
    const { fileID } = await storage.uploadFile({ cloudPath: 'big/exact.bin', fileContent: Buffer.alloc(limit, 7) });
    expect((await storage.downloadFile({ fileID })).fileContent.length).toBe(limit);
    const error = await storage
      .uploadFile({ cloudPath: 'big/over.bin', fileContent: Buffer.alloc(limit + 1, 7) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'STORAGE_REQUEST_FAIL',
      message: match.stringContaining(
        "[EntityTooLarge]: the file is larger than the local cloud's limit of 10485760 bytes",
      ),
    });
    await expect(storage.downloadFile({ fileID: `${BUCKET}/big/over.bin` })).rejects.toMatchObject({
      code: 'STORAGE_FILE_NONEXIST',
    });
  });

  it('a COS upload without the signature getUploadMetadata gave is refused', async () => {
    const res = await raw('PUT', `${cloud().url}/storage/forged.txt`, Buffer.from('x'), {
      authorization: 'nope',
      'x-cos-security-token': 'nope',
    });
    expect(res.status).toBe(403);
    expect(res.body.toString()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });
});

describe('from a function', () => {
  it('records the caller as the uploader', async () => {
    const { status, body } = await cloud().call<{ fileID: string; text: string }>(
      'uploader',
      { cloudPath: 'from-fn/note.txt', text: '年检提醒' },
      'o-driver-1',
    );
    expect(status).toBe(200);
    expect(body).toEqual({ fileID: `${BUCKET}/from-fn/note.txt`, text: '年检提醒' });
    const got = await raw('GET', await tempUrl(body.fileID));
    expect(got.headers['x-cos-meta-uploader']).toBe('o-driver-1');
    expect(got.headers['content-type']).toBe('text/plain; charset=utf-8');
  });
});

describe("POST /storage/upload (the preview's wx.cloud.uploadFile)", () => {
  it('takes raw bytes as the X-WX-OPENID user and answers the fileID', async () => {
    const res = await raw('POST', `${cloud().url}/storage/upload?cloudPath=preview/证件.jpg`, BYTES, {
      'x-wx-openid': 'demo-li-ming',
      'content-type': 'image/jpeg',
    });
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body.toString()) as { fileID: string; size: number; contentType: string };
    expect(body).toMatchObject({ fileID: `${BUCKET}/preview/证件.jpg`, size: BYTES.length, contentType: 'image/jpeg' });
    expect(Buffer.compare((await storage.downloadFile({ fileID: body.fileID })).fileContent, BYTES)).toBe(0);
    expect((await raw('HEAD', await tempUrl(body.fileID))).headers['x-cos-meta-uploader']).toBe('demo-li-ming');
  });

  it('takes a multipart form with a file part', async () => {
    const form = new FormData();
    form.append('cloudPath', 'preview/form.bin');
    form.append('file', new Blob([BYTES]), 'form.bin');
    const res = await fetch(`${cloud().url}/storage/upload`, {
      method: 'POST',
      body: form,
      headers: { 'x-wx-openid': 'demo-wang-fang' },
    });
    expect(res.status).toBe(200);
    const { fileID } = (await res.json()) as { fileID: string };
    expect(Buffer.compare((await storage.downloadFile({ fileID })).fileContent, BYTES)).toBe(0);
  });

  it('refuses a missing cloudPath, a bad openid, and a file over the limit with the reason', async () => {
    const post = (query: string, body: Buffer, headers: Record<string, string> = {}) =>
      raw('POST', `${cloud().url}/storage/upload${query}`, body, headers);
    const noPath = await post('', Buffer.from('x'));
    expect([noPath.status, (JSON.parse(noPath.body.toString()) as { errCode?: unknown }).errCode]).toEqual([
      400,
      'INVALID_CLOUD_PATH',
    ]);
    expect((await post('?cloudPath=a.txt', Buffer.from('x'), { 'x-wx-openid': 'not an openid!' })).status).toBe(400);
    const big = await post('?cloudPath=big.bin', Buffer.alloc(10 * 1024 * 1024 + 1));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body.toString())).toMatchObject({
      errCode: 'EntityTooLarge',
      errMsg: match.stringContaining('10485760 bytes'),
    });
  });

  it("POST /storage/temp-url answers wx.cloud.getTempFileURL's shape", async () => {
    const { fileID } = await storage.uploadFile({ cloudPath: 'preview/t.png', fileContent: BYTES });
    const res = await cloud().request<{ fileList: TempFile[] }>(
      'POST',
      '/storage/temp-url',
      JSON.stringify({ fileList: [fileID, { fileID: `${BUCKET}/none.png`, maxAge: 60 }] }),
      { 'content-type': 'application/json' },
    );
    expect(res.status).toBe(200);
    expect(res.body.fileList[0]).toMatchObject({ fileID, status: 0, errMsg: 'ok' });
    expect(res.body.fileList[1]).toMatchObject({ status: -503003, tempFileURL: '' });
    expect((await raw('GET', defined(res.body.fileList[0]).tempFileURL)).status).toBe(200);
  });
});

describe('who may overwrite a file: the storage permission 仅创建者可读写', () => {
  /** The preview's wx.cloud.uploadFile as `openid` ('' = no header). */
  const post = (cloudPath: string, body: Buffer, openid: string) =>
    raw('POST', `${cloud().url}/storage/upload?cloudPath=${cloudPath}`, body, {
      'content-type': 'application/octet-stream',
      ...(openid ? { 'x-wx-openid': openid } : {}),
    });
  const bytesOf = async (cloudPath: string) =>
    (await storage.downloadFile({ fileID: `${BUCKET}/${cloudPath}` })).fileContent.toString();
  const refused = (res: { status: number; body: Buffer }) => {
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body.toString())).toMatchObject({
      errCode: 'STORAGE_EXCEED_AUTHORITY',
      errMsg: match.stringContaining('permission denied'),
    });
  };

  it('user B cannot overwrite user A’s upload, raw or as a form; the bytes stay A’s and nothing is left behind', async () => {
    expect((await post('owned/a.jpg', Buffer.from('A’s photo'), 'o-user-a')).status).toBe(200);
    const blobs = readdirSync(path.join(cloud().dataDir, 'storage', 'blobs')).length;
    refused(await post('owned/a.jpg', Buffer.from('B was here'), 'o-user-b'));
    const form = new FormData();
    form.append('cloudPath', 'owned/a.jpg');
    form.append('file', new Blob([Buffer.from('B again')]), 'a.jpg');
    const res = await fetch(`${cloud().url}/storage/upload`, {
      method: 'POST',
      body: form,
      headers: { 'x-wx-openid': 'o-user-b' },
    });
    refused({ status: res.status, body: Buffer.from(await res.arrayBuffer()) });
    // without an openid nobody can be the creator
    refused(await post('owned/a.jpg', Buffer.from('anonymous'), ''));
    expect(await bytesOf('owned/a.jpg')).toBe('A’s photo');
    expect(readdirSync(path.join(cloud().dataDir, 'storage', 'blobs')).length).toBe(blobs);
    expect(readdirSync(path.join(cloud().dataDir, 'storage', 'tmp'))).toEqual([]);
  });

  it('A can replace A’s own upload', async () => {
    expect((await post('owned/mine.jpg', Buffer.from('first'), 'o-user-a')).status).toBe(200);
    expect((await post('owned/mine.jpg', Buffer.from('second'), 'o-user-a')).status).toBe(200);
    expect(await bytesOf('owned/mine.jpg')).toBe('second');
  });

  it('a file a cloud function wrote is refused to every client; a function may overwrite anyone’s, and then it is no client’s', async () => {
    // written by a function a user called: still a server write, not that user's file
    expect(
      (await cloud().call('uploader', { cloudPath: 'server/copy.jpg', text: 'checked copy' }, 'o-user-a')).status,
    ).toBe(200);
    refused(await post('server/copy.jpg', Buffer.from('forged'), 'o-user-a'));
    refused(await post('server/copy.jpg', Buffer.from('forged'), 'o-user-b'));
    expect(await bytesOf('server/copy.jpg')).toBe('checked copy');

    expect((await post('server/taken.jpg', Buffer.from('A’s'), 'o-user-a')).status).toBe(200);
    await storage.uploadFile({ cloudPath: 'server/taken.jpg', fileContent: Buffer.from('the function’s') });
    expect(await bytesOf('server/taken.jpg')).toBe('the function’s');
    refused(await post('server/taken.jpg', Buffer.from('A’s again'), 'o-user-a'));
  });
});

describe('a restart', () => {
  it('keeps the files and their temp URLs', async () => {
    const { fileID } = await storage.uploadFile({ cloudPath: 'durable/keep.png', fileContent: BYTES });
    const url = await tempUrl(fileID);
    await cloud().restart();
    expect(Buffer.compare((await storage.downloadFile({ fileID })).fileContent, BYTES)).toBe(0);
    const again = await raw('GET', url);
    expect(again.status).toBe(200);
    expect(Buffer.compare(again.body, BYTES)).toBe(0);
  });
});
