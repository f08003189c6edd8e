/**
 * @jest-environment jsdom
 */
// Facility fault reports: the report form (type, a place from the map or the phone's location, description, photos
// chosen with wx.chooseMedia and uploaded with wx.cloud.uploadFile into the user's folder), my reports, one report.
import { loadPage, type Loaded } from '../helpers/simulate';
import { byAction, fail, faultDetail, faultItem, next, ok } from './fixtures';

const REPORT = 'pages/fault/report/index';
const LIST = 'pages/fault/list/index';
const DETAIL = 'pages/fault/detail/index';

const DIR = 'fault-uploads/0123456789abcdef0123456789abcdef/';
const BUCKET = 'cloud://local.6c6f-local-1300000000/';
const TARGET = { dir: DIR, maxPhotos: 3, maxPhotoBytes: 5 * 1024 * 1024 };
const PICKED = {
  name: '民族大道与竹溪大道交叉口',
  address: '广西壮族自治区南宁市青秀区民族大道',
  latitude: 22.8154,
  longitude: 108.3921,
};

type Callbacks = { success?: (r: unknown) => void; fail?: (e: unknown) => void };

/** wx.chooseMedia answering with these files (as WeChat does, asynchronously). */
function chooseMedia(...files: Array<{ path: string; size: number }>): jest.Mock {
  return jest.fn((o: Callbacks) =>
    setTimeout(
      () =>
        o.success?.({
          type: 'image',
          tempFiles: files.map((f) => ({ tempFilePath: f.path, size: f.size, fileType: 'image' })),
        }),
      0,
    ),
  );
}

/** wx.cloud.uploadFile into the local cloud's bucket, recording each call. */
function stubUpload(page: Loaded): jest.Mock<unknown, [{ cloudPath: string; filePath: string } & Callbacks]> {
  const uploadFile = jest.fn((o: { cloudPath: string; filePath: string } & Callbacks) =>
    setTimeout(() => o.success?.({ fileID: `${BUCKET}${o.cloudPath}`, statusCode: 200 }), 0),
  );
  (page.wx.cloud as unknown as Record<string, unknown>)['uploadFile'] = uploadFile;
  return uploadFile;
}

async function fillForm(page: Loaded): Promise<void> {
  await page.emit('#type', 'change', { value: 'signal' });
  await page.tap('#pick-map');
  await page.emit('#description', 'change', { value: ' 东向西方向红灯不亮 ' });
}

describe('fault report page', () => {
  it('type, a place picked on the map, a description and 2 photos: uploaded into my folder, then submitted with their fileIDs', async () => {
    const chooseLocation = jest.fn((o: Callbacks) =>
      setTimeout(() => o.success?.({ ...PICKED, errMsg: 'chooseLocation:ok' }), 0),
    );
    const page = await loadPage(REPORT, {
      wx: {
        chooseLocation,
        chooseMedia: chooseMedia(
          { path: 'wxfile://tmp_a.jpg', size: 200_000 },
          { path: 'wxfile://tmp_b.png', size: 300_000 },
        ),
      },
      cloud: { fault: byAction('fault', { uploadTarget: () => ok(TARGET), submit: () => ok(faultDetail('rep1')) }) },
    });
    const uploadFile = stubUpload(page);
    expect(page.cloudCalls).toEqual([]);
    await fillForm(page);
    expect(page.text('#place')).toContain(PICKED.name);
    expect(page.text('#place')).toContain(PICKED.address);

    await page.tap('#add-photos');
    expect(page.has('#photo-0')).toBe(true);
    expect(page.has('#photo-1')).toBe(true);
    await page.tap('#submit');

    expect(uploadFile).toHaveBeenCalledTimes(2);
    const uploads = uploadFile.mock.calls.map(([o]) => ({ cloudPath: o.cloudPath, filePath: o.filePath }));
    expect(uploads.map((u) => u.filePath)).toEqual(['wxfile://tmp_a.jpg', 'wxfile://tmp_b.png']);
    expect(uploads[0]?.cloudPath).toMatch(new RegExp(`^${DIR}[^/]+\\.jpg$`));
    expect(uploads[1]?.cloudPath).toMatch(new RegExp(`^${DIR}[^/]+\\.png$`));
    expect(page.cloudCalls).toEqual([
      { name: 'fault', data: { action: 'uploadTarget' } },
      {
        name: 'fault',
        data: {
          action: 'submit',
          type: 'signal',
          latitude: PICKED.latitude,
          longitude: PICKED.longitude,
          name: PICKED.name,
          address: PICKED.address,
          description: '东向西方向红灯不亮',
          fileIDs: uploads.map((u) => `${BUCKET}${u.cloudPath}`),
        },
      },
    ]);
    expect(page.text('#done')).toContain('报障已提交');
    await page.tap('#view-report');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/fault/detail/index?reportId=rep1' }),
    );
  });

  it('the current location from wx.getLocation and no photos: nothing is uploaded', async () => {
    const getLocation = jest.fn((o: Callbacks) =>
      setTimeout(() => o.success?.({ latitude: 22.81673, longitude: 108.31866 }), 0),
    );
    const page = await loadPage(REPORT, {
      wx: { getLocation },
      cloud: { fault: byAction('fault', { submit: () => ok(faultDetail('rep2')) }) },
    });
    const uploadFile = stubUpload(page);
    await page.emit('#type', 'change', { value: 'guardrail' });
    await page.tap('#use-current');
    expect(getLocation.mock.calls[0]?.[0]).toMatchObject({ type: 'gcj02' });
    expect(page.text('#place')).toContain('当前位置（22.81673, 108.31866）');
    await page.emit('#description', 'change', { value: '护栏被撞倒' });
    await page.tap('#submit');
    expect(uploadFile).not.toHaveBeenCalled();
    expect(page.cloudCalls).toEqual([
      {
        name: 'fault',
        data: {
          action: 'submit',
          type: 'guardrail',
          latitude: 22.81673,
          longitude: 108.31866,
          description: '护栏被撞倒',
          fileIDs: [],
        },
      },
    ]);
  });

  it('says what is missing before anything is sent; a place outside Nanning or a photo over 5 MB is not taken', async () => {
    const outside = { ...PICKED, latitude: 23.13, longitude: 113.26 };
    const chooseLocation = jest.fn((o: Callbacks) => setTimeout(() => o.success?.(outside), 0));
    const page = await loadPage(REPORT, {
      wx: {
        chooseLocation,
        chooseMedia: chooseMedia(
          { path: 'wxfile://tmp_big.jpg', size: 6 * 1024 * 1024 },
          { path: 'wxfile://tmp_ok.jpg', size: 1000 },
        ),
      },
      cloud: { fault: () => fail('INTERNAL') },
    });
    await page.tap('#submit');
    expect(page.text('#notice')).toContain('请选择设施类型');
    await page.emit('#type', 'change', { value: 'sign' });
    await page.tap('#submit');
    expect(page.text('#notice')).toContain('请在地图上选点或使用当前位置');
    await page.tap('#pick-map');
    expect(page.text('#notice')).toContain('只受理南宁市范围内');
    expect(page.has('#place')).toBe(false);
    await page.tap('#add-photos');
    expect(page.text('#notice')).toContain('超过 5 MB');
    expect(page.data['photos']).toEqual([expect.objectContaining({ path: 'wxfile://tmp_ok.jpg' })]);
    await page.tap('#remove-photo-0');
    expect(page.data['photos']).toEqual([]);
    expect(page.cloudCalls).toEqual([]);
  });

  it('a photo the cloud refuses is dropped with its reason; the next submit re-uses the other upload', async () => {
    const chooseLocation = jest.fn((o: Callbacks) => setTimeout(() => o.success?.(PICKED), 0));
    const answers = [
      () =>
        fail('PHOTO_TYPE_NOT_ALLOWED', undefined, {
          field: 'fileIDs[1]',
          reasons: ['fileIDs[1]:PHOTO_TYPE_NOT_ALLOWED'],
        }),
      () => ok(faultDetail('rep3')),
    ];
    const page = await loadPage(REPORT, {
      wx: {
        chooseLocation,
        chooseMedia: chooseMedia(
          { path: 'wxfile://tmp_1.jpg', size: 1000 },
          { path: 'wxfile://tmp_2.gif', size: 1000 },
        ),
      },
      cloud: { fault: byAction('fault', { uploadTarget: () => ok(TARGET), submit: () => next(answers)() }) },
    });
    const uploadFile = stubUpload(page);
    await fillForm(page);
    await page.tap('#add-photos');
    await page.tap('#submit');
    expect(page.text('#notice')).toContain(
      '已移除 1 张未通过检查的照片。第 2 张：只能上传 JPG、PNG 或 WebP 格式的照片。',
    );
    expect(page.data['photos']).toEqual([expect.objectContaining({ path: 'wxfile://tmp_1.jpg' })]);
    expect(page.has('#done')).toBe(false);

    await page.tap('#submit');
    expect(uploadFile).toHaveBeenCalledTimes(2);
    const first = uploadFile.mock.calls[0]?.[0] as { cloudPath: string };
    expect(page.cloudCalls.filter((c) => c.data['action'] === 'uploadTarget')).toHaveLength(1);
    expect(page.cloudCalls.at(-1)?.data['fileIDs']).toEqual([`${BUCKET}${first.cloudPath}`]);
    expect(page.has('#done')).toBe(true);
  });

  it('every photo the cloud refused is dropped at once, with how many and why; the next submit sends the one left', async () => {
    const chooseLocation = jest.fn((o: Callbacks) => setTimeout(() => o.success?.(PICKED), 0));
    const answers = [
      () =>
        fail('PHOTO_TOO_LARGE', undefined, {
          field: 'fileIDs[0]',
          reasons: ['fileIDs[0]:PHOTO_TOO_LARGE', 'fileIDs[2]:PHOTO_TYPE_NOT_ALLOWED'],
          limit: 5 * 1024 * 1024,
        }),
      () => ok(faultDetail('rep4')),
    ];
    const page = await loadPage(REPORT, {
      wx: {
        chooseLocation,
        chooseMedia: chooseMedia(
          { path: 'wxfile://tmp_big.jpg', size: 1000 },
          { path: 'wxfile://tmp_ok.jpg', size: 1000 },
          { path: 'wxfile://tmp_odd.png', size: 1000 },
        ),
      },
      cloud: { fault: byAction('fault', { uploadTarget: () => ok(TARGET), submit: () => next(answers)() }) },
    });
    const uploadFile = stubUpload(page);
    await fillForm(page);
    await page.tap('#add-photos');
    await page.tap('#submit');
    expect(page.data['photos']).toEqual([expect.objectContaining({ path: 'wxfile://tmp_ok.jpg' })]);
    expect(page.text('#notice')).toContain('已移除 2 张未通过检查的照片。');
    expect(page.text('#notice')).toContain('第 1 张：照片太大了');
    expect(page.text('#notice')).toContain('第 3 张：只能上传 JPG、PNG 或 WebP 格式的照片。');

    await page.tap('#submit');
    expect(uploadFile).toHaveBeenCalledTimes(3);
    const kept = uploadFile.mock.calls[1]?.[0] as { cloudPath: string; filePath: string };
    expect(kept.filePath).toBe('wxfile://tmp_ok.jpg');
    expect(page.cloudCalls.filter((c) => c.data['action'] === 'submit').map((c) => c.data['fileIDs'])).toEqual([
      uploadFile.mock.calls.map(([o]) => `${BUCKET}${(o as { cloudPath: string }).cloudPath}`),
      [`${BUCKET}${kept.cloudPath}`],
    ]);
    expect(page.has('#done')).toBe(true);
  });

  it('an upload that fails is a sentence; nothing is submitted', async () => {
    const chooseLocation = jest.fn((o: Callbacks) => setTimeout(() => o.success?.(PICKED), 0));
    const page = await loadPage(REPORT, {
      wx: { chooseLocation, chooseMedia: chooseMedia({ path: 'wxfile://tmp_1.jpg', size: 1000 }) },
      cloud: { fault: byAction('fault', { uploadTarget: () => ok(TARGET) }) },
    });
    (page.wx.cloud as unknown as Record<string, unknown>)['uploadFile'] = jest.fn((o: Callbacks) =>
      setTimeout(() => o.fail?.({ errMsg: 'cloud.uploadFile:fail timeout' }), 0),
    );
    await fillForm(page);
    await page.tap('#add-photos');
    await page.tap('#submit');
    expect(page.text('#notice')).toContain('照片上传失败');
    expect(page.cloudCalls.map((c) => c.data['action'])).toEqual(['uploadTarget']);
  });
});

describe('my fault reports', () => {
  it('lists each report with its status and the police’s note, and opens one', async () => {
    const page = await loadPage(LIST, {
      cloud: {
        fault: byAction('fault', {
          list: () =>
            ok({
              reports: [
                faultItem('r2', {
                  status: 'accepted',
                  note: '已派养护班组处理',
                  type: 'sign',
                  place: '',
                  photoCount: 0,
                }),
                faultItem('r1', { status: 'rejected', note: '该路段不属于本市管辖' }),
              ],
            }),
        }),
      },
    });
    expect(page.text('#report-r2')).toContain('交通标志 · 当前位置');
    expect(page.text('#report-r2')).toContain('已受理');
    expect(page.text('#report-r2')).toContain('处理说明：已派养护班组处理');
    expect(page.text('#report-r1')).toContain('信号灯 · 民族大道与竹溪大道交叉口');
    expect(page.text('#report-r1')).toContain('未受理');
    expect(page.text('#report-r1')).toContain('1 张照片');
    await page.tap('#report-r1');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/fault/detail/index?reportId=r1' }),
    );
  });

  it('none yet: a way to report one', async () => {
    const page = await loadPage(LIST, { cloud: { fault: byAction('fault', { list: () => ok({ reports: [] }) }) } });
    expect(page.text('#empty')).toContain('还没有提交过');
    await page.tap('#report');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/fault/report/index' }));
  });
});

describe('one fault report', () => {
  it('shows status, the police’s note, the photos, each step, and navigates to the place', async () => {
    const openLocation = jest.fn((o: Callbacks) => setTimeout(() => o.success?.({}), 0));
    const report = faultDetail('r1', {
      status: 'fixed',
      note: '已更换灯组',
      photos: [{ url: 'http://127.0.0.1:3000/storage/fault-reports/r1/photo-1.jpg?sign=a' }, { url: '' }],
      history: [
        { status: 'submitted', at: '2026-11-24T02:05:00.000Z', note: '' },
        { status: 'accepted', at: '2026-11-24T03:00:00.000Z', note: '已派养护班组处理' },
        { status: 'fixed', at: '2026-11-25T01:00:00.000Z', note: '已更换灯组' },
      ],
    });
    const page = await loadPage(DETAIL, {
      query: { reportId: 'r1' },
      wx: { openLocation },
      cloud: { fault: byAction('fault', { detail: () => ok(report) }) },
    });
    expect(page.cloudCalls).toEqual([{ name: 'fault', data: { action: 'detail', reportId: 'r1' } }]);
    expect(page.text('#status')).toContain('信号灯报障');
    expect(page.text('#status')).toContain('已修复');
    expect(page.text('#note')).toContain('已更换灯组');
    expect(page.text('#place')).toContain(report.name);
    expect((page.data['report'] as { photos: string[] }).photos).toEqual([report.photos[0]?.url]);
    expect(page.has('#photo-0')).toBe(true);
    expect(page.text('#missing-photos')).toContain('1 张照片暂时无法显示');
    expect(page.text('#step-0')).toContain('已修复');
    expect(page.text('#step-0')).toContain('2026-11-25 09:00');
    expect(page.text('#step-1')).toContain('已派养护班组处理');
    expect(page.text('#step-2')).toContain('已提交');
    await page.tap('#place');
    expect(openLocation.mock.calls[0]?.[0]).toMatchObject({
      latitude: report.latitude,
      longitude: report.longitude,
      name: report.name,
    });
  });

  it('another user’s report is not found', async () => {
    const page = await loadPage(DETAIL, {
      query: { reportId: 'x' },
      cloud: { fault: () => fail('NOT_FOUND', '未找到该报障记录。') },
    });
    expect(page.text('#load-error')).toContain('未找到该报障记录');
  });
});
