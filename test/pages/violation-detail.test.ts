/**
 * @jest-environment jsdom
 */
// The violation detail page: what it asks the cloud, the record with its code, legal basis and photos (tap to
// enlarge), a record without photos saying so, the same action as its card for each state, a refusal's sentence —
// and the list opening it from a card's body while the checkbox keeps selecting.
import { GUIDE_IDS } from '../../miniprogram/domain/guide/offices';
import { loadPage } from '../helpers/simulate';
import { byAction, fail, ok, profile, violation, violationDetail, type Answers } from './fixtures';

const DETAIL = 'pages/violation/detail/index';
const LIST = 'pages/violation/list/index';

function open(answers: Answers<'violation'>, wx: Record<string, unknown> = {}) {
  return loadPage(DETAIL, {
    query: { violationId: 'v1' },
    cloud: { violation: byAction('violation', answers) },
    wx: { previewImage: jest.fn(), canIUse: (api: string) => api === 'previewImage', ...wx },
  });
}

describe('violation detail page', () => {
  it('asks for the one violation and shows it with its code, legal basis and photos', async () => {
    const page = await open({ detail: () => ok(violationDetail('v1')) });
    expect(page.cloudCalls).toEqual([{ name: 'violation', data: { action: 'detail', violationId: 'v1' } }]);
    expect(page.text('#head')).toContain('桂A12345');
    expect(page.text('#behaviour')).toBe('驾驶机动车违反道路交通信号灯通行');
    expect(page.text('#state')).toBe('可网上处理');
    expect(page.text('#fine')).toBe('¥200.00');
    expect(page.text('#points')).toBe('6 分');
    expect(page.text('#time')).toContain('2025-09-01 08:05');
    expect(page.text('#place')).toContain('南宁市青秀区民族大道与竹溪大道交叉口');
    expect(page.text('#code')).toContain('1352');
    expect(page.text('#legal-basis')).toContain('《中华人民共和国道路交通安全法》第九十条');
    expect(page.text('#fine')).toBe('¥200.00');
    expect(page.has('#photo-0')).toBe(true);
    expect(page.has('#photo-1')).toBe(true);
    expect(page.has('#no-photos')).toBe(false);
    // only what is rendered is kept: URLs, not the server's objects
    expect((page.data['detail'] as { photos: unknown }).photos).toEqual([
      'http://127.0.0.1:3000/storage/evidence/v1-1.png?sign=x&t=1',
      'http://127.0.0.1:3000/storage/evidence/v1-2.png?sign=x&t=1',
    ]);

    expect(page.text('#zoom-hint')).toBe('点击照片可放大查看');
    await page.tap('#photo-1');
    expect(page.wx['previewImage']).toHaveBeenCalledWith(
      expect.objectContaining({
        current: 'http://127.0.0.1:3000/storage/evidence/v1-2.png?sign=x&t=1',
        urls: [
          'http://127.0.0.1:3000/storage/evidence/v1-1.png?sign=x&t=1',
          'http://127.0.0.1:3000/storage/evidence/v1-2.png?sign=x&t=1',
        ],
      }),
    );

    // processable: processing is chosen on the list, so the page goes back to it
    expect(page.text('#action')).toContain('接受处理');
    await page.tap('#back-to-list');
    expect(page.wx.reLaunch).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/violation/list/index' }));
  });

  it('where the host has no image viewer, photos show without the tap to enlarge', async () => {
    const page = await open({ detail: () => ok(violationDetail('v1')) }, { canIUse: () => false });
    expect(page.has('#photo-0')).toBe(true);
    expect(page.has('#zoom-hint')).toBe(false);
    await page.tap('#photo-0');
    expect(page.wx['previewImage']).not.toHaveBeenCalled();
  });

  it('a record without photos says so; one without code or basis shows neither row', async () => {
    const bare = violation('v1');
    const page = await open({ detail: () => ok({ ...bare, photos: [] }) });
    expect(page.text('#no-photos')).toBe('该记录暂无抓拍照片');
    expect(page.has('#photos')).toBe(false);
    expect(page.has('#code')).toBe(false);
    expect(page.has('#legal-basis')).toBe(false);
  });

  it('a photo the cloud could not find is counted, not shown broken', async () => {
    const page = await open({
      detail: () => ok(violationDetail('v1', { photos: [{ url: 'http://x/1.png' }, { url: '' }] })),
    });
    expect(page.has('#photo-0')).toBe(true);
    expect(page.has('#photo-1')).toBe(false);
    expect(page.text('#missing-photos')).toContain('有 1 张照片暂时无法显示');
    expect(page.has('#no-photos')).toBe(false);
  });

  it('own unpaid decision: today’s amount, the deadline and 去缴款 with the decision, as on the card', async () => {
    const page = await open({
      detail: () =>
        ok(
          violationDetail('v1', {
            status: 'processed',
            processable: false,
            reasons: ['ALREADY_PROCESSED'],
            state: {
              kind: 'awaitingPayment',
              decisionId: 'dec-9',
              decisionNo: '4501000000000097',
              violationCount: 2,
              fine: 15000,
              surcharge: 450,
              amount: 15450,
              dueDate: '2025-09-20',
              daysLeft: -1,
            },
          }),
        ),
    });
    expect(page.text('#state')).toBe('已处理待缴款');
    const due = page.text('#due');
    for (const part of [
      '决定书编号4501000000000097',
      '今日应缴¥154.50',
      '其中滞纳金¥4.50',
      '2025-09-20（已逾期 1 天）',
    ]) {
      expect(due).toContain(part);
    }
    expect(due).toContain('本决定书含 2 条违法，一次缴清');
    expect(page.text()).not.toContain('不能网上处理');
    await page.tap('#pay');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({
        url: '/pages/payment/confirm/index?decisionId=dec-9&decisionNo=4501000000000097&amount=15450&count=2&dueDate=2025-09-20',
      }),
    );
  });

  it('not processable online: every reason with what to do, and the dispute guide', async () => {
    const page = await open({
      detail: () =>
        ok(violationDetail('v1', { processable: false, state: { kind: 'notProcessable', reasons: ['DISPUTED'] } })),
    });
    expect(page.text('#state')).toBe('不能网上处理');
    expect(page.has('#pay')).toBe(false);
    expect(page.has('#back-to-list')).toBe(false);
    await page.tap('#dispute-guide');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: `/pages/guide/detail/index?guideId=${GUIDE_IDS.dispute}` }),
    );
  });

  it('paid online: when, the number and a link straight to its own receipt', async () => {
    const page = await open({
      detail: () =>
        ok(
          violationDetail('v1', {
            status: 'paid',
            processable: false,
            state: {
              kind: 'paid',
              paidAt: '2025-09-03T10:20:00+08:00',
              decisionNo: '4501000000000079',
              orderId: 'ord-9',
            },
          }),
        ),
    });
    expect(page.text('#receipt')).toBe('查看缴款凭证');
    expect(page.has('#receipts')).toBe(false);
    await page.tap('#receipt');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/payment/receipt/index?orderId=ord-9' }),
    );
  });

  it('paid without the order named: the receipts list', async () => {
    const page = await open({
      detail: () =>
        ok(
          violationDetail('v1', {
            status: 'paid',
            processable: false,
            state: { kind: 'paid', paidAt: '2025-09-03T10:20:00+08:00', decisionNo: '4501000000000079' },
          }),
        ),
    });
    expect(page.text('#state')).toBe('已缴款');
    expect(page.text('#settled')).toContain('2025-09-03 10:20 缴款成功');
    expect(page.text('#settled')).toContain('4501000000000079');
    await page.tap('#receipts');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/payment/receipts/index' }));
  });

  it('a car the driver has not bound: the cloud’s sentence and 重新加载', async () => {
    const page = await open({ detail: () => fail('NOT_FOUND', '该违法记录不存在或不属于您绑定的车辆。') });
    expect(page.text('#load-error')).toContain('该违法记录不存在或不属于您绑定的车辆。');
    expect(page.has('#retry')).toBe(true);
    expect(page.data['detail']).toBeNull();
  });

  it('without a violation id it asks nothing', async () => {
    const page = await loadPage(DETAIL, { cloud: { violation: byAction('violation', {}) } });
    expect(page.cloudCalls).toEqual([]);
    expect(page.text('#load-error')).toContain('未找到该违法记录。');
  });
});

describe('opening the detail from the list', () => {
  it('a tap on the card body opens the detail; the checkbox still selects without opening it', async () => {
    const page = await loadPage(LIST, {
      cloud: {
        user: byAction('user', { profile: () => ok(profile()) }),
        violation: byAction('violation', { list: () => ok({ violations: [violation('ready', { fine: 10000 })] }) }),
      },
    });
    // a real tap on the checkbox: it sits outside the card body, so it only ticks
    await page.tap('#pick-ready');
    expect(page.text('#totals')).toContain('已选 1 条');
    expect(page.wx.navigateTo).not.toHaveBeenCalled();

    await page.tap('#open-ready');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/violation/detail/index?violationId=ready' }),
    );
    // the selection survives the trip
    expect(page.text('#totals')).toContain('已选 1 条');
  });
});
