/**
 * `moveCar.recognisePlate` on the local cloud: a photo uploaded into the caller's own folder (as the page does with
 * wx.cloud.uploadFile), checked as fault photos are, read by WeChat's plate OCR — here its sandbox, told what the
 * camera sees with POST /sandbox/ocr — and deleted afterwards whatever happened; the daily limit of paid scans.
 */
import http from 'node:http';
import { PLATE_SCANS_PER_DAY } from '../../miniprogram/domain/move-car/move-car';
import { PLATE_REFUSAL_MESSAGES } from '../../miniprogram/domain/vehicle/plate';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Person } from '../helpers/story';
import type { FaultUploadTarget } from '../../miniprogram/domain/fault/contract';
import type { RecognisedPlate } from '../../miniprogram/domain/move-car/contract';
import { match } from '../helpers/matchers';

jest.setTimeout(90_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'ps');

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF 挡路车辆的车牌')]);
const GIF = Buffer.from('GIF89a not a photo we take');

/** The phone's wx.cloud.uploadFile (POST /storage/upload as the browser preview does it): the fileID. */
function rawUpload(person: Person, cloudPath: string, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${cloud().url}/storage/upload?cloudPath=${encodeURIComponent(cloudPath)}`,
      {
        method: 'POST',
        headers: {
          'x-wx-openid': person.openid,
          'content-type': 'application/octet-stream',
          'content-length': String(bytes.length),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200) reject(new Error(`upload answered ${res.statusCode}: ${text}`));
          else resolve((JSON.parse(text) as { fileID: string }).fileID);
        });
      },
    );
    req.on('error', reject);
    req.end(bytes);
  });
}

let uploads = 0;
/** A photo in the person's own upload folder (`fault.uploadTarget`), as the move-car page uploads it. */
async function photo(person: Person, bytes: Buffer = JPEG): Promise<string> {
  const { dir } = await world.ok<FaultUploadTarget>('fault', { action: 'uploadTarget' }, person.openid);
  uploads += 1;
  return rawUpload(person, `${dir}plate-${uploads}.jpg`, bytes);
}

/** SANDBOX: what the camera will see on the person's next photo. */
async function cameraSees(person: Person, plate: string | null): Promise<void> {
  const reply = await world.sandbox('ocr', {
    openid: person.openid,
    plate,
  });
  expect(reply).toEqual({ status: 200, body: { sandbox: true, openid: person.openid, plate } });
}

/** How many photos of this person the OCR sandbox has read (each a paid call in production). */
async function ocrReads(person: Person): Promise<number> {
  const { body } = await cloud().request<{ reads: number; sandbox: boolean }>(
    'GET',
    `/sandbox/ocr?openid=${person.openid}`,
  );
  expect(body.sandbox).toBe(true);
  return body.reads;
}

function recognise(person: Person, fileID: string) {
  return world.call<RecognisedPlate>('moveCar', { action: 'recognisePlate', fileID }, person.openid);
}

async function exists(fileID: string): Promise<boolean> {
  const { body } = await cloud().request<{ fileList: Array<{ status: number }> }>(
    'POST',
    '/storage/temp-url',
    JSON.stringify({ fileList: [fileID] }),
    { 'content-type': 'application/json' },
  );
  return body.fileList[0]?.status === 0;
}

describe('moveCar.recognisePlate', () => {
  it('reads a 桂A plate off the photo (normalised, its type from its shape) and deletes the upload', async () => {
    const me = await world.driver();
    await cameraSees(me, '桂AB2C34');
    const blue = await photo(me);
    expect(await recognise(me, blue)).toEqual({ ok: true, data: { plate: '桂AB2C34', plateType: '02' } });
    expect(await exists(blue)).toBe(false);

    // WeChat may answer with the separator dot; the domain's rules make it the bare plate
    await cameraSees(me, '桂A·D12345');
    const green = await photo(me);
    expect(await recognise(me, green)).toEqual({ ok: true, data: { plate: '桂AD12345', plateType: '52' } });
    expect(await exists(green)).toBe(false);
    expect(await ocrReads(me)).toBe(2);
  });

  it('a plate that is read but not served: PLATE_NOT_SUPPORTED with the domain’s reason, upload deleted', async () => {
    const me = await world.driver();
    await cameraSees(me, '粤B12345');
    const fileID = await photo(me);
    const reply = await recognise(me, fileID);
    expect(reply).toEqual({
      ok: false,
      code: 'PLATE_NOT_SUPPORTED',
      message: `识别到的号牌为 粤B12345。${PLATE_REFUSAL_MESSAGES.OTHER_PROVINCE}`,
      details: { field: 'fileID', reasons: ['OTHER_PROVINCE'] },
    });
    expect(await exists(fileID)).toBe(false);

    await cameraSees(me, '桂A1234学');
    expect(await recognise(me, await photo(me))).toMatchObject({
      ok: false,
      code: 'PLATE_NOT_SUPPORTED',
      details: { reasons: ['SPECIAL_VEHICLE'] },
    });
  });

  it('nothing recognised (no plate in the photo, or a misread): PLATE_NOT_RECOGNISED, upload deleted', async () => {
    const me = await world.driver();
    const fileID = await photo(me);
    const reply = await recognise(me, fileID);
    expect(reply).toEqual({
      ok: false,
      code: 'PLATE_NOT_RECOGNISED',
      message: '未能识别出车牌，请对准车牌重拍或手动输入。',
      details: { field: 'fileID' },
    });
    expect(await exists(fileID)).toBe(false);
    expect(await ocrReads(me)).toBe(1);

    await cameraSees(me, '桂AI2345'); // I is never on a plate: a misread, not a refusal
    expect(await recognise(me, await photo(me))).toMatchObject({ ok: false, code: 'PLATE_NOT_RECOGNISED' });
    // one photo, one plate: the next photo shows nothing again
    await cameraSees(me, '桂AB2C34');
    expect(await recognise(me, await photo(me))).toMatchObject({ ok: true });
    expect(await recognise(me, await photo(me))).toMatchObject({ ok: false, code: 'PLATE_NOT_RECOGNISED' });
  });

  it('another user’s file: PHOTO_NOT_OWNED, never read by the OCR, never deleted; what the camera sees is per person', async () => {
    const owner = await world.driver();
    const other = await world.driver();
    await cameraSees(owner, '桂AB2C34');
    const theirs = await photo(owner);
    expect(await recognise(other, theirs)).toEqual({
      ok: false,
      code: 'PHOTO_NOT_OWNED',
      message: match.stringContaining('本人'),
      details: { field: 'fileID' },
    });
    expect(await exists(theirs)).toBe(true);
    expect(await ocrReads(owner)).toBe(0);
    // outside anybody's folder, or a path that climbs out of one
    const [dir] = /^(.*\/)[^/]+$/.exec(theirs)?.slice(1) ?? [''];
    expect(await recognise(other, `${dir}../x.jpg`)).toMatchObject({ ok: false, code: 'PHOTO_NOT_OWNED' });
    expect(await recognise(other, 'cloud://local.6c6f-local-1300000000/licences/front.jpg')).toMatchObject({
      ok: false,
      code: 'PHOTO_NOT_OWNED',
    });
    // the other person's own photo shows nothing: the owner's plate is not theirs
    expect(await recognise(other, await photo(other))).toMatchObject({ ok: false, code: 'PLATE_NOT_RECOGNISED' });
    expect(await recognise(owner, theirs)).toEqual({ ok: true, data: { plate: '桂AB2C34', plateType: '02' } });
    expect(await exists(theirs)).toBe(false);
  });

  it('checks the photo first (type, presence) without a paid call; refused uploads are deleted too', async () => {
    const me = await world.driver();
    await cameraSees(me, '桂AB2C34');
    const gif = await photo(me, GIF);
    expect(await recognise(me, gif)).toMatchObject({
      ok: false,
      code: 'PHOTO_TYPE_NOT_ALLOWED',
      details: { field: 'fileID' },
    });
    expect(await exists(gif)).toBe(false);
    expect(await recognise(me, gif)).toMatchObject({ ok: false, code: 'PHOTO_NOT_FOUND' });
    expect(await ocrReads(me)).toBe(0);
    // the plate waits for a photo that is read
    expect(await recognise(me, await photo(me))).toMatchObject({ ok: true, data: { plate: '桂AB2C34' } });
  });

  it('a verified user only; params checked', async () => {
    const unverified = await world.driver({ verified: false });
    expect(
      await world.fails(
        'moveCar',
        { action: 'recognisePlate', fileID: 'cloud://local.6c6f-local-1300000000/x.jpg' },
        unverified.openid,
      ),
    ).toMatchObject({ code: 'NOT_VERIFIED' });
    const me = await world.driver();
    expect(await world.fails('moveCar', { action: 'recognisePlate' }, me.openid)).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'fileID' },
    });
    expect(
      await world.fails('moveCar', { action: 'recognisePlate', fileID: 'https://example.com/a.jpg' }, me.openid),
    ).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it(`at most ${PLATE_SCANS_PER_DAY} scans a person a day (concurrent ones included); the next day starts again`, async () => {
    const me = await world.driver();
    const files = await Promise.all(Array.from({ length: PLATE_SCANS_PER_DAY + 3 }, () => photo(me)));
    const replies = await Promise.all(files.map((fileID) => recognise(me, fileID)));
    // nothing set in the sandbox: each counted scan is read (and answers "no plate"), each refused one is not
    expect(replies.filter((r) => !r.ok && r.code === 'PLATE_NOT_RECOGNISED')).toHaveLength(PLATE_SCANS_PER_DAY);
    const limited = replies.filter((r) => !r.ok && r.code === 'RATE_LIMITED');
    expect(limited).toHaveLength(3);
    expect(limited[0]).toMatchObject({
      message: `今天的拍照识别车牌已达 ${PLATE_SCANS_PER_DAY} 次上限，请用号牌键盘手动输入。`,
      details: { limit: PLATE_SCANS_PER_DAY },
    });
    expect(await ocrReads(me)).toBe(PLATE_SCANS_PER_DAY);
    for (const fileID of files) expect(await exists(fileID)).toBe(false);

    // another person is not limited by mine
    const other = await world.driver();
    await cameraSees(other, '桂AB2C34');
    expect(await recognise(other, await photo(other))).toMatchObject({ ok: true });

    await world.setClock(86_400_000);
    try {
      await cameraSees(me, '桂AB2C34');
      expect(await recognise(me, await photo(me))).toMatchObject({ ok: true, data: { plate: '桂AB2C34' } });
    } finally {
      await world.setClock(0);
    }
  });
});

describe('the OCR sandbox', () => {
  it('answers WeChat’s shape on /sandbox/wechat/cv/ocr/platenum, labelled, and only with a valid token', async () => {
    const bad = await cloud().request<Record<string, unknown>>(
      'POST',
      '/sandbox/wechat/cv/ocr/platenum?img_url=x&access_token=nope',
      '{}',
      { 'content-type': 'application/json' },
    );
    expect(bad.body).toMatchObject({ errcode: 40001 });
    const token = (
      await cloud().request<{ access_token: string }>('POST', '/sandbox/wechat/cgi-bin/stable_token', '{}', {
        'content-type': 'application/json',
      })
    ).body.access_token;
    const noUrl = await cloud().request<Record<string, unknown>>(
      'POST',
      `/sandbox/wechat/cv/ocr/platenum?access_token=${token}`,
      '{}',
      { 'content-type': 'application/json' },
    );
    expect(noUrl.body).toMatchObject({ errcode: 101000, sandbox: true });
    const unreachable = await cloud().request<Record<string, unknown>>(
      'POST',
      `/sandbox/wechat/cv/ocr/platenum?img_url=${encodeURIComponent(`${cloud().url}/storage/nothing.jpg?sign=x&t=1`)}&access_token=${token}`,
      '{}',
      { 'content-type': 'application/json' },
    );
    expect(unreachable.body).toMatchObject({ errcode: 101000, sandbox: true });
    expect((await world.sandbox('ocr', { openid: 'bad openid!', plate: '桂AB2C34' })).status).toBe(400);
    expect((await world.sandbox('ocr', { openid: 'o-ps-x', plate: 12345 })).status).toBe(400);
  });
});

finalChecks(() => world);
