/**
 * `fault` and the police's `admin.listFaults/updateFault` on the local cloud, with real uploads into its cloud
 * storage (`POST /storage/upload` as the phone's wx.cloud.uploadFile does): photos checked by owner, presence,
 * size and bytes, refused uploads deleted, the cloud's own copy kept; the state machine through admin; the token.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkPhotos } from '../../cloudfunctions/_shared/fault/faults';
import type { StoragePort } from '../../cloudfunctions/_shared/ports/storage';
import { MAX_FAULT_REPORTS_PER_DAY, MAX_PHOTO_BYTES } from '../../miniprogram/domain/fault/fault';
import { maskName } from '../../miniprogram/domain/account/id-number';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Person } from '../helpers/story';
import type { AdminFaultListResult, AdminFaultItem } from '../../cloudfunctions/_shared/police/contract';
import type { FaultUploadTarget, FaultDetail, FaultListResult } from '../../miniprogram/domain/fault/contract';
import { defined, match } from '../helpers/matchers';
import { policeOf } from '../helpers/police';

jest.setTimeout(60_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'ft');

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF 桂A 信号灯照片')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR 护栏')]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 标线')]);
const GIF = Buffer.from('GIF89a not allowed');

const PLACE = {
  latitude: 22.8154,
  longitude: 108.3921,
  name: '民族大道与竹溪大道交叉口',
  address: '广西壮族自治区南宁市青秀区民族大道',
};

/** One raw HTTP request with a binary body (the helper's request() sends text). */
function raw(
  method: string,
  urlPath: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = urlPath.startsWith('http') ? urlPath : `${cloud().url}${urlPath}`;
    const req = http.request(
      url,
      { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The phone's wx.cloud.uploadFile, as the browser preview does it: returns the fileID. */
async function upload(person: Person, cloudPath: string, bytes: Buffer): Promise<string> {
  const { status, body } = await raw('POST', `/storage/upload?cloudPath=${encodeURIComponent(cloudPath)}`, bytes, {
    'x-wx-openid': person.openid,
    'content-type': 'application/octet-stream',
  });
  if (status !== 200) throw new Error(`upload answered ${status}: ${body.toString()}`);
  return (JSON.parse(body.toString()) as { fileID: string }).fileID;
}

async function target(person: Person): Promise<FaultUploadTarget> {
  return world.ok<FaultUploadTarget>('fault', { action: 'uploadTarget' }, person.openid);
}

/** Uploads each photo into the person's own folder; returns the fileIDs. */
/** The fileIDs of `files` uploaded in order, one per file. */
async function photos<Files extends Buffer[]>(
  person: Person,
  ...files: Files
): Promise<{ [K in keyof Files]: string }> {
  const { dir } = await target(person);
  const ids: string[] = [];
  for (const [i, file] of files.entries()) ids.push(await upload(person, `${dir}${Date.now()}-${i}.jpg`, file));
  return ids as { [K in keyof Files]: string };
}

function submit(person: Person, fileIDs: string[], fields: Record<string, unknown> = {}) {
  return world.call<FaultDetail>(
    'fault',
    { action: 'submit', type: 'signal', ...PLACE, description: '东向西方向红灯不亮', fileIDs, ...fields },
    person.openid,
  );
}

/** Whether the file exists, through the same temp-URL call the preview makes. */
async function exists(fileID: string): Promise<boolean> {
  const { body } = await cloud().request<{ fileList: Array<{ status: number }> }>(
    'POST',
    '/storage/temp-url',
    JSON.stringify({ fileList: [fileID] }),
    { 'content-type': 'application/json' },
  );
  return body.fileList[0]?.status === 0;
}

async function fetchUrl(url: string): Promise<Buffer> {
  const { status, body } = await raw('GET', url);
  expect(status).toBe(200);
  return body;
}

function admin<T>(action: string, params: Record<string, unknown>) {
  return world.adminCall<T>(action, params);
}

describe('fault.submit', () => {
  it('gives each user their own upload folder and the limits', async () => {
    const a = await world.driver();
    const b = await world.driver();
    const ta = await target(a);
    expect(ta).toEqual({
      dir: match.stringMatching(/^fault-uploads\/[0-9a-f]{32}\/$/),
      maxPhotos: 3,
      maxPhotoBytes: MAX_PHOTO_BYTES,
    });
    expect((await target(b)).dir).not.toBe(ta.dir);
    expect(ta.dir).not.toContain(a.openid);
    const unverified = await world.driver({ verified: false });
    expect(await world.fails('fault', { action: 'uploadTarget' }, unverified.openid)).toMatchObject({
      code: 'NOT_VERIFIED',
    });
  });

  it('accepts up to 3 real photos, keeps its own copy of the checked bytes and drops the uploads', async () => {
    const me = await world.driver();
    const ids = await photos(me, JPEG, PNG, WEBP);
    const reply = await submit(me, ids);
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    const report = reply.data;
    expect(report).toMatchObject({
      type: 'signal',
      status: 'submitted',
      description: '东向西方向红灯不亮',
      place: PLACE.name,
      name: PLACE.name,
      address: PLACE.address,
      latitude: PLACE.latitude,
      longitude: PLACE.longitude,
      note: '',
      photoCount: 3,
      history: [{ status: 'submitted', at: report.createdAt, note: '' }],
    });
    // the reporter gets URLs only; the police see the copies' fileIDs
    expect(report.photos.map((p) => Object.keys(p))).toEqual([['url'], ['url'], ['url']]);
    const queue = await admin<AdminFaultListResult>('listFaults', { status: 'submitted', limit: 100 });
    const copies = queue.ok ? queue.data.reports.find((r) => r.reportId === report.reportId)?.photos : undefined;
    expect(copies?.map((p) => p.fileID.replace(/^cloud:\/\/[^/]+\//, ''))).toEqual([
      `fault-reports/${report.reportId}/photo-1.jpg`,
      `fault-reports/${report.reportId}/photo-2.png`,
      `fault-reports/${report.reportId}/photo-3.webp`,
    ]);
    const bytes = await Promise.all(report.photos.map((p) => fetchUrl(p.url)));
    expect(bytes.map((b) => b.toString('hex'))).toEqual([JPEG, PNG, WEBP].map((b) => b.toString('hex')));
    for (const id of ids) expect(await exists(id)).toBe(false);

    const list = await world.ok<FaultListResult>('fault', { action: 'list' }, me.openid);
    expect(list.reports).toEqual([
      {
        reportId: report.reportId,
        type: 'signal',
        status: 'submitted',
        description: report.description,
        place: PLACE.name,
        createdAt: report.createdAt,
        updatedAt: report.createdAt,
        note: '',
        photoCount: 3,
      },
    ]);
    const detail = await world.ok<FaultDetail>('fault', { action: 'detail', reportId: report.reportId }, me.openid);
    expect(detail.photos.map((p) => Object.keys(p))).toEqual([['url'], ['url'], ['url']]);
    expect(detail.photos.every((p) => p.url.startsWith('http'))).toBe(true);

    // a report without photos, located by wx.getLocation only, is fine too
    const bare = await submit(me, [], {
      name: undefined,
      address: undefined,
      type: 'guardrail',
      description: '护栏被撞倒',
    });
    expect(bare).toMatchObject({ ok: true, data: { type: 'guardrail', place: '', photos: [], photoCount: 0 } });
  });

  it('refuses a 4th photo before looking at any of them', async () => {
    const me = await world.driver();
    const ids = await photos(me, JPEG, JPEG, JPEG, JPEG);
    expect(await submit(me, ids)).toMatchObject({
      ok: false,
      code: 'INVALID_ARGUMENT',
      message: '最多上传 3 张照片。',
      details: { field: 'fileIDs', limit: 3 },
    });
    for (const id of ids) expect(await exists(id)).toBe(true);
  });

  it('refuses what is not JPEG/PNG/WebP by its bytes (whatever its name), deletes it, keeps the good one, stores nothing', async () => {
    const me = await world.driver();
    const [good, gif, text] = await photos(me, JPEG, GIF, Buffer.from('<html>not a photo</html>'));
    const reply = await submit(me, [good, gif, text]);
    expect(reply).toEqual({
      ok: false,
      code: 'PHOTO_TYPE_NOT_ALLOWED',
      message: '只能上传 JPG、PNG 或 WebP 格式的照片。',
      details: {
        field: 'fileIDs[1]',
        reasons: ['fileIDs[1]:PHOTO_TYPE_NOT_ALLOWED', 'fileIDs[2]:PHOTO_TYPE_NOT_ALLOWED'],
      },
    });
    expect(await exists(gif)).toBe(false);
    expect(await exists(text)).toBe(false);
    expect(await exists(good)).toBe(true);
    expect((await world.ok<FaultListResult>('fault', { action: 'list' }, me.openid)).reports).toEqual([]);
  });

  it('refuses a photo over 5 MB and deletes it; exactly 5 MB passes', async () => {
    const me = await world.driver();
    const big = Buffer.alloc(MAX_PHOTO_BYTES + 1);
    JPEG.copy(big);
    const atLimit = Buffer.alloc(MAX_PHOTO_BYTES);
    JPEG.copy(atLimit);
    const [bigId, okId] = await photos(me, big, atLimit);
    expect(await submit(me, [bigId])).toMatchObject({
      ok: false,
      code: 'PHOTO_TOO_LARGE',
      details: { field: 'fileIDs[0]', limit: MAX_PHOTO_BYTES },
    });
    expect(await exists(bigId)).toBe(false);
    expect((await submit(me, [okId])).ok).toBe(true);
  });

  it('refuses another user’s photo (and leaves it alone), a path outside one’s folder, and a file that is not there', async () => {
    const me = await world.driver();
    const other = await world.driver();
    const [theirs] = await photos(other, JPEG);
    expect(await submit(me, [theirs])).toMatchObject({
      ok: false,
      code: 'PHOTO_NOT_OWNED',
      details: { field: 'fileIDs[0]' },
    });
    expect(await exists(theirs)).toBe(true);

    const outside = await upload(me, `fault-uploads/${'0'.repeat(32)}/x.jpg`, JPEG);
    expect(await submit(me, [outside])).toMatchObject({ ok: false, code: 'PHOTO_NOT_OWNED' });
    expect(await exists(outside)).toBe(true);

    const { dir } = await target(me);
    const [mine] = await photos(me, PNG);
    const missing = `${mine.slice(0, mine.indexOf(dir))}${dir}never-uploaded.jpg`;
    expect(await submit(me, [mine, missing])).toMatchObject({
      ok: false,
      code: 'PHOTO_NOT_FOUND',
      message: '照片未上传成功或已被删除，请重新选择照片。',
      details: { field: 'fileIDs[1]' },
    });
    expect(await exists(mine)).toBe(true);
  });

  it('users see their own reports only', async () => {
    const me = await world.driver();
    const other = await world.driver();
    const reply = await submit(me, []);
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    expect(await world.fails('fault', { action: 'detail', reportId: reply.data.reportId }, other.openid)).toMatchObject(
      { code: 'NOT_FOUND' },
    );
    expect((await world.ok<FaultListResult>('fault', { action: 'list' }, other.openid)).reports).toEqual([]);
  });

  it('a report’s photos survive a restart of the local cloud', async () => {
    const me = await world.driver();
    const reply = await submit(me, await photos(me, PNG));
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    await cloud().restart();
    const detail = await world.ok<FaultDetail>('fault', { action: 'detail', reportId: reply.data.reportId }, me.openid);
    expect((await fetchUrl(defined(detail.photos[0]).url)).equals(PNG)).toBe(true);
  });

  it('nobody can overwrite the cloud’s copy of a photo (仅创建者可读写), not even its reporter', async () => {
    const me = await world.driver();
    const other = await world.driver();
    const reply = await submit(me, await photos(me, JPEG));
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    // the temp URL names the copy's path: all a user needs to try
    const copyPath = decodeURIComponent(new URL(defined(reply.data.photos[0]).url).pathname.slice('/storage/'.length));
    expect(copyPath).toBe(`fault-reports/${reply.data.reportId}/photo-1.jpg`);
    for (const person of [me, other]) {
      const attempt = await raw('POST', `/storage/upload?cloudPath=${encodeURIComponent(copyPath)}`, PNG, {
        'x-wx-openid': person.openid,
        'content-type': 'image/png',
      });
      expect(attempt.status).toBe(403);
      expect(JSON.parse(attempt.body.toString())).toMatchObject({
        errCode: 'STORAGE_EXCEED_AUTHORITY',
        errMsg: match.stringContaining('permission denied'),
      });
    }
    const queue = await admin<AdminFaultListResult>('listFaults', { status: 'submitted', limit: 100 });
    const listed = queue.ok ? queue.data.reports.find((r) => r.reportId === reply.data.reportId) : undefined;
    expect(listed?.photos[0]?.fileID.endsWith(`/${copyPath}`)).toBe(true);
    expect((await fetchUrl(defined(listed?.photos[0]).url)).equals(JPEG)).toBe(true);
  });
});

describe('the police: admin.listFaults / updateFault', () => {
  it('moves a report submitted → accepted → fixed; the user sees each status and note; invalid moves are refused', async () => {
    const me = await world.driver();
    const reply = await submit(me, await photos(me, JPEG), { type: 'sign', description: '限速标志被树枝遮挡' });
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    const { reportId } = reply.data;

    const queue = await admin<AdminFaultListResult>('listFaults', { status: 'submitted', limit: 100 });
    if (!queue.ok) throw new Error(JSON.stringify(queue));
    const listed = queue.data.reports.find((r) => r.reportId === reportId);
    expect(listed).toMatchObject({ status: 'submitted', type: 'sign', reporterName: maskName(me.name), photoCount: 1 });
    expect(listed?.photos[0]?.url).toMatch(/^http/);
    // oldest first
    const times = queue.data.reports.map((r) => r.createdAt);
    expect([...times].sort()).toEqual(times);

    const accepted = await admin<AdminFaultItem>('updateFault', {
      reportId,
      status: 'accepted',
      note: '已派养护班组处理',
    });
    expect(accepted).toMatchObject({ ok: true, data: { status: 'accepted', note: '已派养护班组处理' } });
    expect(await world.ok<FaultDetail>('fault', { action: 'detail', reportId }, me.openid)).toMatchObject({
      status: 'accepted',
      note: '已派养护班组处理',
    });
    const inQueue = await admin<AdminFaultListResult>('listFaults', { status: 'submitted', limit: 100 });
    expect(inQueue.ok && inQueue.data.reports.some((r) => r.reportId === reportId)).toBe(false);

    expect(await admin('updateFault', { reportId, status: 'accepted' })).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
    });
    expect(await admin('updateFault', { reportId, status: 'submitted' })).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
    });
    expect((await admin('updateFault', { reportId, status: 'fixed', note: '已清理遮挡树枝' })).ok).toBe(true);
    const fixed = await admin('updateFault', { reportId, status: 'rejected', note: '重复报障' });
    expect(fixed).toMatchObject({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: '报障当前状态为“已修复”，已办结，不能再变更。',
    });

    const detail = await world.ok<FaultDetail>('fault', { action: 'detail', reportId }, me.openid);
    expect(detail.status).toBe('fixed');
    expect(detail.history.map((h) => [h.status, h.note])).toEqual([
      ['submitted', ''],
      ['accepted', '已派养护班组处理'],
      ['fixed', '已清理遮挡树枝'],
    ]);
    const audit = await world.auditSince(reply.data.createdAt);
    expect(audit.filter((a) => a.target === `faultReports/${reportId}`).map((a) => [a.before, a.after])).toEqual([
      ['submitted', 'accepted'],
      ['accepted', 'fixed'],
    ]);
  });

  it('a rejection needs a reason, from submitted or accepted; an unknown report is NOT_FOUND', async () => {
    const me = await world.driver();
    const first = await submit(me, []);
    const second = await submit(me, [], { type: 'marking', description: '斑马线磨损看不清' });
    if (!first.ok || !second.ok) throw new Error('submit failed');
    expect(await admin('updateFault', { reportId: first.data.reportId, status: 'rejected' })).toMatchObject({
      ok: false,
      code: 'INVALID_ARGUMENT',
      details: { field: 'note' },
    });
    expect(
      await admin('updateFault', { reportId: first.data.reportId, status: 'rejected', note: '该路段不属于本市管辖' }),
    ).toMatchObject({ ok: true, data: { status: 'rejected' } });
    await admin('updateFault', { reportId: second.data.reportId, status: 'accepted' });
    expect(
      await admin('updateFault', { reportId: second.data.reportId, status: 'rejected', note: '经核实设施完好' }),
    ).toMatchObject({ ok: true, data: { status: 'rejected' } });
    const mine = await world.ok<FaultListResult>('fault', { action: 'list' }, me.openid);
    expect(mine.reports.map((r) => [r.status, r.note]).sort()).toEqual([
      ['rejected', '经核实设施完好'],
      ['rejected', '该路段不属于本市管辖'],
    ]);
    expect(await admin('updateFault', { reportId: 'no-such-report', status: 'accepted' })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
  });

  it('without a fault-handling officer nothing is listed or changed', async () => {
    const me = await world.driver();
    const reply = await submit(me, []);
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    const { reportId } = reply.data;
    for (const event of [
      { action: 'listFaults', status: 'submitted' },
      { action: 'updateFault', reportId, status: 'accepted' },
      { action: 'updateFault', reportId, status: 'accepted', adminToken: 'wrong' },
      // the deployer's bootstrap secret opens nothing else, nor does an officer without the role
      { action: 'updateFault', reportId, status: 'accepted', adminToken: cloud().adminToken },
      {
        action: 'listFaults',
        status: 'submitted',
        credential: await policeOf(cloud()).credentialFor('exportPayments'),
      },
      { action: 'updateFault', reportId, status: 'accepted', credential: await policeOf(cloud()).integrationKey() },
    ]) {
      expect(await world.call('admin', event, me.openid)).toEqual({
        ok: false,
        code: 'FORBIDDEN',
        message: '您没有权限进行此操作。',
      });
    }
    expect((await world.ok<FaultDetail>('fault', { action: 'detail', reportId }, me.openid)).status).toBe('submitted');
  });
});

describe('admin.revealFaultReporter', () => {
  it("answers the reporter's full name to a fault-handling officer only, and the trail names who asked", async () => {
    const me = await world.driver();
    const reply = await submit(me, []);
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    const { reportId } = reply.data;
    const police = policeOf(cloud());
    const since = new Date(Date.now() - 60_000).toISOString();
    // straight through the police helper: the full name must not enter this file's leak scan
    const handler = await police.session(await police.officer(['faultHandling']));
    const revealed = await police.must<{ reporterName: string }>({
      action: 'revealFaultReporter',
      reportId,
      credential: handler,
    });
    expect(revealed).toEqual({ reportId, reporterName: me.name });
    const listed = await world.admin<AdminFaultListResult>('listFaults', { status: 'submitted', limit: 100 });
    expect(listed.reports.find((r) => r.reportId === reportId)?.reporterName).toBe(maskName(me.name));
    for (const credential of [await police.credentialFor('exportPayments'), await police.integrationKey()])
      expect(await police.call({ action: 'revealFaultReporter', reportId, credential })).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
    const trail = (await world.auditSince(since)).filter((e) => e.action === 'police.revealFaultReporter');
    expect(trail).toEqual([
      match.objectContaining({
        target: `call:faultReports/${reportId}`,
        actor: { label: 'officer:test-faulthandling', login: 'test-faulthandling', name: '测试警员' },
      }),
    ]);
    expect(JSON.stringify(trail)).not.toContain(me.name);
  });
});

describe('fault photos: the size comes first, from a one-byte ranged GET on the temp URL', () => {
  const DIR = 'fault-uploads/0123456789abcdef0123456789abcdef/';
  const ID = `cloud://local.6c6f-local-1300000000/${DIR}big.jpg`;
  /** What the stand-in for COS answers: a status and its headers. */
  let answer: { status: number; headers: Record<string, string | number> } = { status: 200, headers: {} };
  const seen: string[] = [];
  const cos = http.createServer((req, res) => {
    seen.push(`${req.method ?? ''} ${req.headers.range ?? ''}`);
    res.writeHead(answer.status, answer.headers);
    res.end();
  });
  beforeAll(() => new Promise<void>((resolve) => cos.listen(0, '127.0.0.1', () => resolve())));
  afterAll(() => new Promise<void>((resolve) => cos.close(() => resolve())));

  const TEMP_URL = () => `http://127.0.0.1:${(cos.address() as AddressInfo).port}/storage/x.jpg?sign=s&t=1`;

  function storage(bytes: Buffer): Omit<StoragePort, 'download'> & { download: jest.Mock } {
    return {
      download: jest.fn(() => Promise.resolve(bytes)),
      upload: jest.fn(() => Promise.resolve('')),
      tempUrls: (ids) => Promise.resolve(new Map(ids.map((id) => [id, TEMP_URL()]))),
      remove: jest.fn(() => Promise.resolve()),
    };
  }

  it('a photo the probe says is over 5 MB (206 Content-Range, or 200 Content-Length) is refused without being downloaded', async () => {
    for (const a of [
      { status: 206, headers: { 'content-range': `bytes 0-0/${MAX_PHOTO_BYTES + 1}`, 'content-length': 1 } },
      { status: 200, headers: { 'content-length': MAX_PHOTO_BYTES + 1 } },
    ]) {
      answer = a;
      seen.length = 0;
      const port = storage(JPEG);
      expect(await checkPhotos([ID], DIR, port)).toEqual([
        { index: 0, fileID: ID, bytes: null, refusal: 'PHOTO_TOO_LARGE', url: TEMP_URL() },
      ]);
      expect(port.download).not.toHaveBeenCalled();
      // a GET (the temp URL is signed for GET) for one byte
      expect(seen).toEqual(['GET bytes=0-0']);
    }
  });

  it('a size within the limit, none, or a refusal: the download decides, as before', async () => {
    for (const a of [
      { status: 206, headers: { 'content-range': `bytes 0-0/${JPEG.length}` } },
      { status: 206, headers: { 'content-range': 'bytes 0-0/*' } },
      { status: 200, headers: {} },
      { status: 403, headers: { 'content-length': 10 } },
    ]) {
      answer = a;
      const port = storage(JPEG);
      expect(await checkPhotos([ID], DIR, port)).toEqual([
        { index: 0, fileID: ID, bytes: JPEG, refusal: null, url: TEMP_URL() },
      ]);
      expect(port.download).toHaveBeenCalledTimes(1);
    }
  });
});

finalChecks(() => world);

describe('fault.submit: the daily limit under concurrency', () => {
  // A cloud of its own with more instances than the default 4, so a burst really runs at once.
  const burstCloud = useLocalCloud({ instances: 8 });
  const burst = new World(burstCloud, 'ftb');

  it('a concurrent burst from one user: exactly 10 go through, the rest are RATE_LIMITED, and exactly 10 are stored', async () => {
    const me = await burst.driver();
    const replies = await Promise.all(
      Array.from({ length: MAX_FAULT_REPORTS_PER_DAY + 6 }, (_, i) =>
        burst.call<FaultDetail>(
          'fault',
          { action: 'submit', type: 'signal', ...PLACE, description: `第 ${i + 1} 处信号灯不亮`, fileIDs: [] },
          me.openid,
        ),
      ),
    );
    const accepted = replies.flatMap((r) => (r.ok ? [r.data.reportId] : []));
    const refused = replies.flatMap((r) => (r.ok ? [] : [r]));
    expect(accepted).toHaveLength(MAX_FAULT_REPORTS_PER_DAY);
    expect(refused.map((r) => r.code)).toEqual(Array(6).fill('RATE_LIMITED'));
    expect(refused[0]).toMatchObject({
      message: match.stringContaining(`每天最多提交 ${MAX_FAULT_REPORTS_PER_DAY} 条报障`),
      details: { limit: MAX_FAULT_REPORTS_PER_DAY },
    });
    const mine = await burst.ok<FaultListResult>('fault', { action: 'list' }, me.openid);
    expect(mine.reports.map((r) => r.reportId).sort()).toEqual([...accepted].sort());
    // the next one is refused too, and another user's day is untouched
    expect(
      await burst.call(
        'fault',
        { action: 'submit', type: 'signal', ...PLACE, description: '又一处', fileIDs: [] },
        me.openid,
      ),
    ).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    const other = await burst.driver();
    expect(
      (
        await burst.call(
          'fault',
          { action: 'submit', type: 'signal', ...PLACE, description: '护栏倒了', fileIDs: [] },
          other.openid,
        )
      ).ok,
    ).toBe(true);
  });

  finalChecks(() => burst);
});
