/**
 * `violation.detail` on the local cloud: one violation with its code, legal basis and the camera's photos as
 * temporary URLs read from cloud storage, in the same state the list gives it — to the owner and a driver the owner
 * allowed, never to anyone else; a record without photos says so with an empty list. The import's new row fields
 * are checked row by row.
 */
import http from 'node:http';
import type { ImportResult } from '../../cloudfunctions/_shared/police/contract';
import type { ViolationDetail, ViolationListResult } from '../../miniprogram/domain/violation/contract';
import { pointSdkAt, useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World } from '../helpers/story';

jest.setTimeout(60_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'vdt');

let restoreEnv: (() => void) | undefined;
beforeAll(() => {
  restoreEnv = pointSdkAt(cloud());
});
afterAll(() => restoreEnv?.());

const PHOTO = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR 桂A 抓拍'),
]);
const BASIS = '《中华人民共和国道路交通安全法》第九十条';

function request(method: string, url: string, body?: Buffer): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, headers: body ? { 'content-length': String(body.length), 'content-type': 'image/png' } : {} },
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

/** The police system's evidence store: a file written without a user, answered with its fileID. */
async function evidence(cloudPath: string): Promise<string> {
  const url = `${cloud().url}/storage/upload?cloudPath=${encodeURIComponent(cloudPath)}`;
  const { status, body } = await request('POST', url, PHOTO);
  if (status !== 200) throw new Error(`upload answered ${status}: ${body.toString()}`);
  return (JSON.parse(body.toString()) as { fileID: string }).fileID;
}

function detail(violationId: string, openid: string): Promise<ViolationDetail> {
  return world.ok<ViolationDetail>('violation', { action: 'detail', violationId }, openid);
}

describe('violation.detail', () => {
  it('shows a bound driver the code, the legal basis and the photos, in the state the list gives', async () => {
    const owner = await world.driver({ licence: { cyclePoints: 0 } });
    const car = await world.car(owner);
    await world.bindOwn(car);
    const photos = [await evidence('evidence/vdt/1-a.png'), await evidence('evidence/vdt/1-b.png')];
    const [withPhotos, bare] = await world.violations(
      car,
      { code: '1352', lawBasis: BASIS, photos, fine: 20_000, points: 3 },
      { fine: 5_000, points: 1 },
    );

    const shown = await detail(withPhotos ?? '', owner.openid);
    expect(shown).toMatchObject({
      id: withPhotos,
      plate: car.plate,
      code: '1352',
      legalBasis: BASIS,
      fine: 20_000,
      points: 3,
      state: { kind: 'processable' },
    });
    expect(shown.photos).toHaveLength(2);
    for (const photo of shown.photos) {
      // a temporary URL the phone can load, never the fileID itself
      expect(photo.url).toMatch(/^http/);
      const fetched = await request('GET', photo.url);
      expect(fetched.status).toBe(200);
      expect(fetched.body.equals(PHOTO)).toBe(true);
    }
    const { violations } = await world.ok<ViolationListResult>('violation', { action: 'list' }, owner.openid);
    const listed = violations.find((v) => v.id === withPhotos);
    expect(shown.state).toEqual(listed?.state);

    // no photos: an empty list, and no code or basis the registry did not send
    const plain = await detail(bare ?? '', owner.openid);
    expect(plain.photos).toEqual([]);
    expect(plain).not.toHaveProperty('code');
    expect(plain).not.toHaveProperty('legalBasis');

    // a driver the owner allowed sees the same record and photos; after processing, the processor's own state
    const driver = await world.driver();
    await world.bindOther(driver, car);
    expect((await detail(withPhotos ?? '', driver.openid)).photos).toHaveLength(2);
    const reply = await world.process(owner, [withPhotos ?? '']);
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    expect((await detail(withPhotos ?? '', owner.openid)).state).toMatchObject({
      kind: 'awaitingPayment',
      decisionNo: reply.data.decisionNo,
    });
    const theirs = await detail(withPhotos ?? '', driver.openid);
    expect(theirs.state).toEqual({ kind: 'processed' });
    expect(JSON.stringify(theirs)).not.toContain(reply.data.decisionNo);
  });

  it('refuses anyone not bound to the car as the list would: not found, or not verified', async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    await world.bindOwn(car);
    const [id] = await world.violations(car, { photos: [await evidence('evidence/vdt/2-a.png')] });
    const stranger = await world.driver();
    const refusal = await world.fails('violation', { action: 'detail', violationId: id }, stranger.openid);
    expect(refusal.code).toBe('NOT_FOUND');
    expect(JSON.stringify(refusal)).not.toContain('storage');
    // an id that does not exist reads exactly the same
    const missing = await world.fails('violation', { action: 'detail', violationId: '4501009999999999' }, owner.openid);
    expect(missing).toEqual(refusal);
    const unverified = await world.driver({ verified: false });
    expect((await world.fails('violation', { action: 'detail', violationId: id }, unverified.openid)).code).toBe(
      'NOT_VERIFIED',
    );
    expect((await world.fails('violation', { action: 'detail' }, owner.openid)).code).toBe('INVALID_ARGUMENT');
  });

  it('imports code, legal basis and photos row by row: a bad value refuses its row, the rest go in', async () => {
    const owner = await world.driver();
    const car = await world.car(owner);
    await world.bindOwn(car);
    const good = world.violationRow(car, { code: '13520', lawBasis: BASIS, photos: ['cloud://env.bucket/a.png'] });
    const rows = [
      good,
      world.violationRow(car, { code: '135' }),
      world.violationRow(car, { lawBasis: '法'.repeat(201) }),
      world.violationRow(car, { photos: ['https://example.com/a.png'] }),
      world.violationRow(car, { photos: ['cloud://e.b/1', 'cloud://e.b/2', 'cloud://e.b/3', 'cloud://e.b/4'] }),
      world.violationRow(car),
    ];
    const result = await world.admin<ImportResult>('importViolations', { rows });
    expect(result.inserted).toBe(2);
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([
      [1, 'rows[1].code'],
      [2, 'rows[2].lawBasis'],
      [3, 'rows[3].photos[0]'],
      [4, 'rows[4].photos'],
    ]);
    expect(result.errors.map((e) => e.message)).toEqual([
      '违法代码应为 4–5 位数字。',
      '法律依据最多 200 个字。',
      '抓拍照片应为云存储文件编号（cloud://…）。',
      '每条违法记录最多 3 张抓拍照片。',
    ]);
    // a fileID no file stands behind: the page learns it could not be shown
    const shown = await detail(good.violationId, owner.openid);
    expect(shown).toMatchObject({ code: '13520', legalBasis: BASIS, photos: [{ url: '' }] });
  });
});

finalChecks(() => world);
