/**
 * @jest-environment jsdom
 */
// Driver-credit certificates: the driver's list and new ones, one certificate (snapshot, number and code, save as an
// image on a canvas, share, revoke), and the public verification an employer makes without an account.
import { loadPage, type Loaded } from '../helpers/simulate';
import { byAction, certificate, fail, ok, SNAPSHOT, type Answers } from './fixtures';

const LIST = 'pages/certificate/list/index';
const DETAIL = 'pages/certificate/detail/index';
const VERIFY = 'pages/certificate/verify/index';

const NUMBER = 'XY2025100800001234';

describe('my certificates page', () => {
  it('lists each certificate with its status and opens one', async () => {
    const page = await loadPage(LIST, {
      cloud: {
        certificate: byAction('certificate', {
          list: () =>
            ok({
              certificates: [
                certificate(NUMBER),
                certificate('XY2025090100000007', { status: 'expired' }),
                certificate('XY2025090100000008', { status: 'revoked' }),
              ],
            }),
        }),
      },
    });
    expect(page.cloudCalls).toEqual([{ name: 'certificate', data: { action: 'list' } }]);
    expect(page.text(`#certificate-${NUMBER}`)).toContain('有效');
    expect(page.text(`#certificate-${NUMBER}`)).toContain('签发 2025-10-08 10:00 · 有效期至 2025-11-07 10:00');
    expect(page.text('#certificate-XY2025090100000007')).toContain('已过期');
    expect(page.text('#certificate-XY2025090100000008')).toContain('已撤销');

    await page.tap(`#certificate-${NUMBER}`);
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: `/pages/certificate/detail/index?number=${NUMBER}` }),
    );
  });

  it('asks for a new certificate and opens it', async () => {
    const page = await loadPage(LIST, {
      cloud: {
        certificate: byAction('certificate', {
          list: () => ok({ certificates: [] }),
          issue: () => ok(certificate(NUMBER)),
        }),
      },
    });
    expect(page.text('#empty')).toContain('您还没有申请过信用证明');
    await page.tap('#issue');
    expect(page.cloudCalls[1]).toEqual({ name: 'certificate', data: { action: 'issue' } });
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: `/pages/certificate/detail/index?number=${NUMBER}` }),
    );
  });

  it("the day's limit is the server's sentence; not verified leads to verification", async () => {
    const limited = await loadPage(LIST, {
      cloud: {
        certificate: byAction('certificate', {
          list: () => ok({ certificates: [] }),
          issue: () => fail('RATE_LIMITED', '每天最多申请 5 份信用证明，请使用已申请的证明。', { limit: 5 }),
        }),
      },
    });
    await limited.tap('#issue');
    expect(limited.text('#notice')).toContain('每天最多申请 5 份信用证明');
    expect(limited.wx.navigateTo).not.toHaveBeenCalled();

    const unverified = await loadPage(LIST, { cloud: { certificate: () => fail('NOT_VERIFIED') } });
    await unverified.tap('#verify');
    expect(unverified.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/account/register/index' }),
    );
  });
});

interface Recorded {
  readonly calls: [string, ...unknown[]][];
  readonly ctx: Record<string, unknown>;
}

/** A canvas 2d context that records what is drawn on it. */
function recordingContext(): Recorded {
  const calls: [string, ...unknown[]][] = [];
  const ctx: Record<string, unknown> = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    font: '',
    textAlign: 'left',
    textBaseline: 'alphabetic',
  };
  for (const name of ['fillRect', 'fillText', 'beginPath', 'moveTo', 'lineTo', 'stroke', 'scale']) {
    ctx[name] = (...args: unknown[]) => void calls.push([name, ...args]);
  }
  return { calls, ctx };
}

/** wx.createSelectorQuery().in(page).select(id).fields({ node }).exec(cb) answering with a fake `<canvas type="2d">`. */
function canvasQuery(canvas: Record<string, unknown>) {
  const selected: string[] = [];
  const query = {
    in: () => query,
    select: (selector: string) => {
      selected.push(selector);
      return query;
    },
    fields: () => query,
    exec: (cb: (res: unknown[]) => void) => setTimeout(() => cb([{ node: canvas, width: 750, height: 1200 }]), 0),
  };
  return { createSelectorQuery: jest.fn(() => query), selected };
}

function detailCloud(overrides: Answers<'certificate'> = {}) {
  return {
    certificate: byAction('certificate', { detail: (d) => ok(certificate(d['number'])), ...overrides }),
  };
}

async function openDetail(wx: Record<string, unknown> = {}, cloud = detailCloud()): Promise<Loaded> {
  return loadPage(DETAIL, { query: { number: NUMBER }, wx, cloud });
}

describe('certificate page', () => {
  it('shows the number and the code large, and the snapshot as frozen', async () => {
    const page = await openDetail();
    expect(page.cloudCalls).toEqual([{ name: 'certificate', data: { action: 'detail', number: NUMBER } }]);
    expect(page.text('#number')).toBe(NUMBER);
    expect(page.text('#code')).toBe('ABCD-EFGH-JKMN');
    expect(page.text('#status')).toContain('有效');
    expect(page.text('#validity')).toContain('有效期至 2025-11-07 10:00');
    const snapshot = page.text('#snapshot');
    for (const text of [
      '张*',
      '450***********123X',
      'C1',
      '正常',
      '2031-06-01',
      '2025-06-01 至 2026-05-31',
      '6 分',
      '近 12 个月共 3 起',
    ]) {
      expect(snapshot).toContain(text);
    }
    expect(snapshot).toContain('驾驶机动车违反道路交通信号灯通行');
    expect(snapshot).toContain('1 起 · 记 6 分');
    expect(snapshot).toContain('机动车违反禁止停车标志指示');
    expect(snapshot).toContain('2 起 · 记 0 分');
    expect(snapshot).toContain('1 笔，共 ¥206.00');
    // an old certificate (no otherPoints) renders without that line, but with which records it covers
    expect(snapshot).not.toContain('其他渠道记分');
    expect(snapshot).toContain('违法记录和未缴罚款仅含在本小程序处理的违法');
  });

  it("shows the points from other channels under the cycle's points when there are some", async () => {
    const page = await openDetail(
      {},
      detailCloud({
        detail: (d) => ok(certificate(d['number'], { snapshot: { ...SNAPSHOT, otherPoints: 3 } })),
      }),
    );
    expect(page.text('#snapshot')).toContain('其中：其他渠道记分');
    expect(page.text('#snapshot')).toMatch(/其中：其他渠道记分\s*3 分/);
  });

  it('shares the public verify page with the number and the code filled in', async () => {
    const page = await openDetail();
    expect(page.has('#share')).toBe(true);
    const share = (page.instance['onShareAppMessage'] as () => { path: string; title: string }).call(page.instance);
    expect(share.path).toBe(`/pages/certificate/verify/index?number=${NUMBER}&code=ABCD-EFGH-JKMN`);
    expect(share.title).toContain(NUMBER);
  });

  it('saves the certificate as an image: drawn on the 2d canvas, exported, then saved to the album', async () => {
    const { calls, ctx } = recordingContext();
    const canvas: Record<string, unknown> = { width: 300, height: 150, getContext: jest.fn(() => ctx) };
    const query = canvasQuery(canvas);
    const canvasToTempFilePath = jest.fn((o: { success: (r: unknown) => void }) =>
      setTimeout(() => o.success({ tempFilePath: 'wxfile://tmp/certificate.png' }), 0),
    );
    const saveImageToPhotosAlbum = jest.fn((o: { success: (r: unknown) => void }) =>
      setTimeout(() => o.success({ errMsg: 'saveImageToPhotosAlbum:ok' }), 0),
    );
    const page = await openDetail({ ...query, canvasToTempFilePath, saveImageToPhotosAlbum });

    await page.tap('#save-image');
    await page.settle();

    expect(query.selected).toEqual(['#certificate-canvas']);
    expect(canvas['getContext']).toHaveBeenCalledWith('2d');
    expect(canvas['width']).toBe(1500);
    expect(Number(canvas['height'])).toBeGreaterThan(1500);
    const texts = calls.filter((c) => c[0] === 'fillText').map((c) => c[1]);
    expect(texts).toEqual(
      expect.arrayContaining(['驾驶人信用证明', NUMBER, 'ABCD-EFGH-JKMN', '张*', '450***********123X']),
    );
    expect(calls[0]).toEqual(['scale', 2, 2]);

    expect(canvasToTempFilePath).toHaveBeenCalledWith(
      expect.objectContaining({ canvas, fileType: 'png', destWidth: 1500 }),
    );
    expect(saveImageToPhotosAlbum).toHaveBeenCalledWith(
      expect.objectContaining({ filePath: 'wxfile://tmp/certificate.png' }),
    );
    expect(page.text('#notice')).toContain('已保存到手机相册');
    expect(page.data['saving']).toBe(false);
    expect(page.has('#certificate-canvas')).toBe(false);
  });

  it('a refused album permission explains itself and offers the settings, from a tap', async () => {
    const { ctx } = recordingContext();
    const canvas = { width: 300, height: 150, getContext: () => ctx };
    const page = await openDetail({
      ...canvasQuery(canvas),
      canvasToTempFilePath: (o: { success: (r: unknown) => void }) => o.success({ tempFilePath: 'wxfile://tmp/c.png' }),
      saveImageToPhotosAlbum: (o: { fail: (r: unknown) => void }) =>
        setTimeout(() => o.fail({ errMsg: 'saveImageToPhotosAlbum:fail auth deny' }), 0),
      openSetting: jest.fn(),
    });
    await page.tap('#save-image');
    await page.settle();
    expect(page.get('#album-dialog').data['visible']).toBe(true);
    expect(page.get('#album-dialog').data['title']).toBe('需要相册权限');

    await page.emit('#album-dialog', 'confirm');
    expect(page.wx['openSetting']).toHaveBeenCalled();
    expect(page.get('#album-dialog').data['visible']).toBe(false);
  });

  it('a cancelled save says nothing; another failure says to try again', async () => {
    const { ctx } = recordingContext();
    const canvas = { width: 300, height: 150, getContext: () => ctx };
    const exported = (o: { success: (r: unknown) => void }) => o.success({ tempFilePath: 'wxfile://tmp/c.png' });
    const cancelled = await openDetail({
      ...canvasQuery(canvas),
      canvasToTempFilePath: exported,
      saveImageToPhotosAlbum: (o: { fail: (r: unknown) => void }) =>
        o.fail({ errMsg: 'saveImageToPhotosAlbum:fail cancel' }),
    });
    await cancelled.tap('#save-image');
    await cancelled.settle();
    expect(cancelled.has('#notice')).toBe(false);
    expect(cancelled.data['albumDialog']).toBe(false);

    const broken = await openDetail({
      ...canvasQuery(canvas),
      canvasToTempFilePath: (o: { fail: (r: unknown) => void }) =>
        o.fail({ errMsg: 'canvasToTempFilePath:fail canvas is empty' }),
    });
    await broken.tap('#save-image');
    await broken.settle();
    expect(broken.text('#notice')).toContain('图片保存失败');
    expect(broken.data['saving']).toBe(false);
  });

  it('revokes only after the dialog confirms, then shows it revoked without share or revoke', async () => {
    const page = await openDetail(
      {},
      detailCloud({
        revoke: (d) =>
          ok({
            number: d['number'],
            status: 'revoked',
            issuedAt: '2025-10-08T02:00:00.000Z',
            expiresAt: '2025-11-07T02:00:00.000Z',
          }),
      }),
    );
    await page.tap('#revoke');
    expect(page.get('#revoke-dialog').data['visible']).toBe(true);
    await page.emit('#revoke-dialog', 'cancel');
    expect(page.cloudCalls.filter((c) => c.data['action'] === 'revoke')).toEqual([]);

    await page.tap('#revoke');
    await page.emit('#revoke-dialog', 'confirm');
    expect(page.cloudCalls.filter((c) => c.data['action'] === 'revoke')).toEqual([
      { name: 'certificate', data: { action: 'revoke', number: NUMBER } },
    ]);
    expect(page.text('#status')).toContain('已撤销');
    expect(page.text('#meaning')).toContain('已被驾驶人撤销');
    expect(page.text('#notice')).toContain('证明已撤销');
    expect(page.has('#share')).toBe(false);
    expect(page.has('#revoke')).toBe(false);
  });

  it("someone else's number is not found", async () => {
    const page = await openDetail({}, { certificate: () => fail('NOT_FOUND', '未找到该信用证明。') });
    expect(page.text('#load-error')).toContain('未找到该信用证明');
  });
});

/** What an employer gets: no code in it. */
function verification(number: string) {
  const { code: _code, ...rest } = certificate(number);
  return rest;
}

describe('public verify page', () => {
  it('opened from a shared card, checks at once and shows the snapshot and that it is valid — no account asked for', async () => {
    const page = await loadPage(VERIFY, {
      query: { number: NUMBER, code: 'ABCD-EFGH-JKMN' },
      cloud: { certificate: byAction('certificate', { verify: (d) => ok(verification(d['number'])) }) },
    });
    expect(page.cloudCalls).toEqual([
      { name: 'certificate', data: { action: 'verify', number: NUMBER, code: 'ABCDEFGHJKMN' } },
    ]);
    expect(page.text('#result')).toContain('有效');
    expect(page.text('#result')).toContain('真实有效');
    expect(page.text('#checked-number')).toContain(NUMBER);
    expect(page.text('#expires-at')).toContain('2025-11-07 10:00');
    expect(page.text('#snapshot')).toContain(SNAPSHOT.name);
    expect(page.text('#snapshot')).toContain(SNAPSHOT.idNumber);
    expect(page.text('#snapshot')).not.toContain('其他渠道记分');
    for (const nav of ['navigateTo', 'redirectTo', 'reLaunch'] as const) expect(page.wx[nav]).not.toHaveBeenCalled();
  });

  it('shows an employer the points from other channels and which records the certificate covers', async () => {
    const page = await loadPage(VERIFY, {
      query: { number: NUMBER, code: 'ABCD-EFGH-JKMN' },
      cloud: {
        certificate: byAction('certificate', {
          verify: (d) => ok({ ...verification(d['number']), snapshot: { ...SNAPSHOT, otherPoints: 2 } }),
        }),
      },
    });
    expect(page.text('#snapshot')).toMatch(/其中：其他渠道记分\s*2 分/);
    expect(page.text('#snapshot')).toContain('本周期记分含在窗口、现场等其他渠道处理的记分');
  });

  it('typed by hand: forgives spaces, dashes and lower case; refuses malformed input before asking the server', async () => {
    const page = await loadPage(VERIFY, {
      cloud: {
        certificate: byAction('certificate', {
          verify: (d) => ok(certificate(d['number'], { status: 'expired' })),
        }),
      },
    });
    expect(page.cloudCalls).toEqual([]);

    await page.emit('#number', 'change', { value: 'XY2025' });
    await page.emit('#code', 'change', { value: 'abcd' });
    await page.tap('#submit');
    expect(page.cloudCalls).toEqual([]);
    expect(page.text()).toContain('证明编号为 XY 开头的 18 位编号');
    expect(page.text()).toContain('核验码为 12 位字母和数字');

    await page.emit('#number', 'change', { value: ` ${NUMBER.toLowerCase()} ` });
    await page.emit('#code', 'change', { value: 'abcd efgh-jkmn' });
    await page.tap('#submit');
    expect(page.cloudCalls).toEqual([
      { name: 'certificate', data: { action: 'verify', number: NUMBER, code: 'ABCDEFGHJKMN' } },
    ]);
    expect(page.text('#result')).toContain('已过期');
    expect(page.text('#result')).toContain('超过 30 日有效期');
  });

  it('a revoked certificate shows only that it was revoked, none of its contents', async () => {
    const page = await loadPage(VERIFY, {
      query: { number: NUMBER, code: 'ABCD-EFGH-JKMN' },
      cloud: {
        certificate: byAction('certificate', {
          verify: (d) =>
            ok({
              ...verification(d['number']),
              status: 'revoked',
              revokedAt: '2025-10-09T02:00:00.000Z',
              snapshot: null,
            }),
        }),
      },
    });
    expect(page.text('#result')).toContain('已撤销');
    expect(page.text('#revoked-hint')).toContain('驾驶人已撤销该证明');
    expect(page.text()).not.toContain(SNAPSHOT.idNumber);
  });

  it("a wrong code is refused with the server's sentence", async () => {
    const page = await loadPage(VERIFY, {
      query: { number: NUMBER, code: 'ABCD-EFGH-JKMP' },
      cloud: { certificate: () => fail('CERTIFICATE_MISMATCH') },
    });
    expect(page.text('#error')).toContain('证明编号或核验码不正确');
    expect(page.has('#result')).toBe(false);
  });

  describe('slowed down', () => {
    beforeEach(() => jest.useFakeTimers({ advanceTimers: true }));
    afterEach(() => jest.useRealTimers());

    it('waits the seconds the server says, counting down, before the next try', async () => {
      let tries = 0;
      const page = await loadPage(VERIFY, {
        query: { number: NUMBER, code: 'ABCD-EFGH-JKMP' },
        cloud: {
          certificate: byAction('certificate', {
            verify: () => {
              tries += 1;
              return tries === 1
                ? fail('RATE_LIMITED', '核验错误次数较多，请 30 秒后再试。', { retryAfterSeconds: 30 })
                : ok(certificate(NUMBER));
            },
          }),
        },
      });
      expect(page.text('#error')).toContain('请 30 秒后再试');
      expect(page.text('#submit')).toContain('30 秒后可再次核验');
      await page.tap('#submit');
      expect(tries).toBe(1);

      jest.advanceTimersByTime(10_000);
      await page.settle();
      expect(page.text('#submit')).toContain('20 秒后可再次核验');

      jest.advanceTimersByTime(20_000);
      await page.settle();
      expect(page.text('#submit')).toBe('核验');
      await page.tap('#submit');
      expect(tries).toBe(2);
      expect(page.text('#result')).toContain('有效');
      page.unload();
    });
  });

  it('a locked number says so and is not tried again until another number is typed', async () => {
    const page = await loadPage(VERIFY, {
      query: { number: NUMBER, code: 'ABCD-EFGH-JKMP' },
      cloud: { certificate: () => fail('CERTIFICATE_LOCKED', undefined, { retryAfterSeconds: 86_000 }) },
    });
    expect(page.text('#error')).toContain('已锁定 24 小时');
    expect(page.text('#submit')).toContain('该编号已锁定');
    await page.tap('#submit');
    expect(page.cloudCalls).toHaveLength(1);

    await page.emit('#number', 'change', { value: 'XY2025100800009999' });
    expect(page.text('#submit')).toBe('核验');
  });
});
