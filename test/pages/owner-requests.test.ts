/**
 * @jest-environment jsdom
 */
// The owner's page: incoming requests approved with the owner's own face scan, or rejected; drivers revoked.
import { loadPage } from '../helpers/simulate';
import { byAction, fail, next, ok, request, type Answers } from './fixtures';

const REQUESTS = 'pages/vehicle/requests/index';

function ownerCloud(overrides: Answers<'vehicle'> = {}) {
  return {
    vehicle: byAction('vehicle', {
      listRequests: () =>
        ok({
          incoming: [
            request('r1', { plate: '桂A12345' }),
            request('r2', { plate: '桂A12345', status: 'rejected', requesterName: '赵*' }),
            request('r3', { plate: '桂A54321', requesterName: '钱*' }),
          ],
          outgoing: [],
          // the owner's cars by the registry, whether or not the owner bound them in the app
          ownedCars: [
            {
              plate: '桂A12345',
              plateType: '02',
              drivers: [{ bindingId: 'bd-1', name: '周*', since: '2025-08-01T09:00:00+08:00' }],
            },
          ],
        }),
      ...overrides,
    }),
  };
}

describe("owner's requests page", () => {
  it('lists incoming requests with the requester masked, and the current drivers', async () => {
    const page = await loadPage(REQUESTS, { cloud: ownerCloud() });

    expect(page.text('#incoming-r1')).toContain('申请人 李*');
    expect(page.text('#incoming-r1')).toContain('待授权');
    expect(page.text('#incoming-r2')).toContain('已拒绝');
    expect(page.has('#approve-r2')).toBe(false);
    expect(page.text('#driver-bd-1')).toContain('桂A12345 · 周*');
  });

  it('a shared card lands on its request, first in the list', async () => {
    const page = await loadPage(REQUESTS, { query: { requestId: 'r3' }, cloud: ownerCloud() });
    const incoming = page.data['incoming'] as Array<{ requestId: string; focused: boolean }>;
    expect(incoming[0]).toEqual(expect.objectContaining({ requestId: 'r3', focused: true }));
    expect(page.has('#notice')).toBe(false);

    const missing = await loadPage(REQUESTS, { query: { requestId: 'nope' }, cloud: ownerCloud() });
    expect(missing.text('#notice')).toContain('没有找到分享给您的这条申请');
  });

  it('同意授权 first shows what is granted, to whom, for how long and how to revoke; 暂不同意 starts no face scan', async () => {
    const page = await loadPage(REQUESTS, { cloud: ownerCloud() });
    await page.tap('#approve-r1');

    expect(page.data['consentVisible']).toBe(true);
    const sheet = page.text('#consent');
    expect(page.text('#consent-requester')).toBe('李*');
    expect(page.text('#consent-plate')).toBe('桂A12345');
    expect(sheet).toContain('查询和处理这辆车的电子监控违法');
    expect(sheet).toContain('记分记在对方本人的驾驶证上');
    expect(sheet).toContain('缴纳罚款');
    expect(sheet).toContain('直到您解除授权，或这辆车过户给他人');
    expect(sheet).toContain('解除授权');
    // the request's expiry as the server set it
    expect(page.text('#consent-expires')).toContain('2025-09-02 10:00');

    await page.emit('#consent-dialog', 'cancel');
    expect(page.data['consentVisible']).toBe(false);
    expect(page.cloudCalls.map((c) => c.data['action'])).toEqual(['listRequests']);
    expect(page.wx.requestFacialVerify).not.toHaveBeenCalled();
  });

  it("同意并刷脸验证 runs startAuthorize, then the owner's face scan, then approve with its verifyId", async () => {
    const steps: string[] = [];
    const page = await loadPage(REQUESTS, {
      wx: {
        requestFacialVerify: (o: { verifyId?: string; success?: () => void }) => {
          steps.push(`face ${o.verifyId ?? ''}`);
          o.success?.();
        },
      },
      cloud: ownerCloud({
        startAuthorize: (d) => {
          steps.push(`startAuthorize ${d.requestId}`);
          return ok({ verifyId: 'auth-1' });
        },
        approve: (d) => {
          steps.push(`approve ${d.requestId} ${d.verifyId}`);
          return ok({ requestId: d.requestId, bindingId: 'bd-2', plate: '桂A12345' });
        },
      }),
    });
    await page.tap('#approve-r1');
    expect(steps).toEqual([]);
    await page.emit('#consent-dialog', 'confirm');

    expect(steps).toEqual(['startAuthorize r1', 'face auth-1', 'approve r1 auth-1']);
    expect(page.data['consentVisible']).toBe(false);
    expect(page.text('#notice')).toContain('已授权');
  });

  it('a face scan the owner leaves approves nothing and says how to retry', async () => {
    const page = await loadPage(REQUESTS, {
      wx: {
        requestFacialVerify: (o: { fail?: (e: unknown) => void }) =>
          o.fail?.({ errMsg: 'requestFacialVerify:fail cancel' }),
      },
      cloud: ownerCloud({ startAuthorize: () => ok({ verifyId: 'auth-1' }) }),
    });
    await page.tap('#approve-r1');
    await page.emit('#consent-dialog', 'confirm');

    expect(page.cloudCalls.map((c) => c.data['action'])).not.toContain('approve');
    expect(page.text('#notice')).toContain('您已退出人脸识别');
    expect(page.text('#face-tips')).toContain('车主本人');
  });

  it('each refusal of an approval shows its sentence', async () => {
    const refusals = [
      ['FACE_VERIFY_FAILED', '人脸识别未通过'],
      ['VERIFY_EXPIRED', '人脸识别已超时失效'],
      ['VEHICLE_QUOTA_EXCEEDED', '该车辆已被 3 名其他驾驶人绑定'],
      ['DRIVER_QUOTA_EXCEEDED', '最多可以绑定 3 辆非本人名下的车辆'],
      ['NOT_OWNER', '您不是该车辆的所有人'],
      ['CONFLICT', '系统繁忙'],
      ['REQUEST_EXPIRED', '该申请已超过 24 小时失效'],
    ] as const;
    const answers = refusals.map(([code]) => fail(code));
    const page = await loadPage(REQUESTS, {
      cloud: ownerCloud({ startAuthorize: () => ok({ verifyId: 'auth-1' }), approve: () => next(answers) }),
    });
    for (const [code, sentence] of refusals) {
      await page.tap('#approve-r1');
      await page.emit('#consent-dialog', 'confirm');
      expect([code, page.text('#notice')]).toEqual([code, expect.stringContaining(sentence)]);
    }
  });

  it('rejects and revokes only after confirming', async () => {
    const page = await loadPage(REQUESTS, {
      cloud: ownerCloud({
        reject: (d) => ok({ requestId: d['requestId'], status: 'rejected' }),
        revoke: (d) => ok({ plate: d['plate'], bindingId: d['bindingId'] }),
      }),
    });
    await page.tap('#reject-r1');
    expect(page.text()).toContain('拒绝 李* 绑定 桂A12345 的申请吗');
    await page.emit('#confirm-dialog', 'cancel');
    await page.tap('#revoke-bd-1');
    await page.emit('#confirm-dialog', 'confirm');
    await page.tap('#reject-r1');
    await page.emit('#confirm-dialog', 'confirm');

    const writes = page.cloudCalls
      .map((c) => c.data)
      .filter((d) => d['action'] === 'reject' || d['action'] === 'revoke');
    expect(writes).toEqual([
      { action: 'revoke', plate: '桂A12345', bindingId: 'bd-1' },
      { action: 'reject', requestId: 'r1' },
    ]);
    expect(page.text('#notice')).toContain('已拒绝该申请');
  });

  it('an unregistered owner opening a card is sent to registration', async () => {
    const page = await loadPage(REQUESTS, {
      query: { requestId: 'r1' },
      cloud: { vehicle: () => fail('UNAUTHENTICATED') },
    });
    expect(page.text('#load-error')).toContain('请先注册并完成实名认证');
    expect(page.has('#verify')).toBe(true);
  });
});
