/**
 * @jest-environment jsdom
 */
// Violations: filter by car, tick processable ones with running totals and the 12-point warning, reasons for the
// rest, processing into a decision; and the first render of 100 violations within 16 KB per setData.
import { ELIGIBILITY_REASON_TEXT } from '../../miniprogram/domain/violation/eligibility';
import { loadPage, type Loaded } from '../helpers/simulate';
import { byAction, fail, next, ok, violation, type Answers } from './fixtures';

const LIST = 'pages/violation/list/index';
/** WeChat's own advice is far higher; the issue asks 16 KB for the first render with 100 violations. */
const FIRST_RENDER_LIMIT = 16 * 1024;

const VIOLATIONS = [
  violation('v1', { fine: 20000, points: 6 }),
  violation('v2', { fine: 10000, points: 3, surcharge: 0, plate: '桂AD12345', place: '南宁市西乡塘区大学东路' }),
  violation('v3', { fine: 5000, points: 1, behaviour: '机动车违反禁止标线指示' }),
  violation('v4', { fine: 50000, points: 3, processable: false, reasons: ['FINE_OVER_LIMIT'] }),
  violation('v5', { processable: false, reasons: ['DISPUTED'], plate: '桂AD12345' }),
  violation('v6', {
    status: 'processed',
    processable: false,
    reasons: ['ALREADY_PROCESSED'],
    decisionId: 'd-6',
    decisionNo: '4501000000000061',
    surcharge: 1200,
    state: {
      kind: 'awaitingPayment',
      decisionId: 'd-6',
      decisionNo: '4501000000000061',
      violationCount: 1,
      fine: 20000,
      surcharge: 1200,
      amount: 21200,
      dueDate: '2025-09-16',
      daysLeft: -2,
    },
  }),
];

const ORDER = {
  orderId: 'ord-1',
  outTradeNo: 'T1',
  amount: 25000,
  payment: { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p1', signType: 'MD5', paySign: 's' },
};

function cloud(cyclePoints = 3, extra: Answers<'violation'> = {}) {
  return {
    violation: byAction('violation', { list: () => ok({ violations: VIOLATIONS, cyclePoints }), ...extra }),
  };
}

function processCalls(page: Loaded) {
  return page.cloudCalls.filter((c) => c.data['action'] === 'process');
}

describe('violations page', () => {
  it('shows time, place, behaviour, fine and points; a checkbox or the reasons with what to do', async () => {
    const page = await loadPage(LIST, { cloud: cloud() });
    // one call: the list carries the cycle points the 12-point warning needs
    expect(page.cloudCalls).toEqual([{ name: 'violation', data: { action: 'list' } }]);

    const first = page.text('#violation-v1');
    for (const part of [
      '2025-09-01 08:05',
      '南宁市青秀区民族大道与竹溪大道交叉口',
      '驾驶机动车违反道路交通信号灯通行',
      '¥200.00',
      '6 分',
      '可网上处理',
    ]) {
      expect(first).toContain(part);
    }
    expect(page.has('#pick-v1')).toBe(true);

    expect(page.has('#pick-v4')).toBe(false);
    expect(page.text('#reasons-v4')).toContain(ELIGIBILITY_REASON_TEXT.FINE_OVER_LIMIT.message);
    expect(page.text('#reasons-v4')).toContain(ELIGIBILITY_REASON_TEXT.FINE_OVER_LIMIT.whatToDo);
    // a dispute is handled at the traffic police of the place of the violation
    expect(page.text('#reasons-v5')).toContain('违法行为发生地的公安交管部门');
    // the processed one is in 待缴款, with its decision's amount today, not in this tab with reasons
    expect(page.has('#violation-v6')).toBe(false);
    await page.emit('#stage', 'change', { value: 'unpaid' });
    expect(page.text('#violation-v6')).toContain('今日应缴¥212.00');
    expect(page.text('#violation-v6')).toContain('其中滞纳金¥12.00');
    expect(page.has('#reasons-v6')).toBe(false);
  });

  it('keeps running totals of fine, surcharge and points as boxes are ticked and unticked', async () => {
    const page = await loadPage(LIST, { cloud: cloud(0) });
    await page.tap('#pick-v1');
    await page.tap('#pick-v3');
    expect(page.text('#totals')).toContain('已选 2 条 · 记 7 分');
    expect(page.text('#totals')).toContain('罚款 ¥250.00 · 滞纳金 ¥0.00 · 合计 ¥250.00');

    await page.tap('#pick-v1');
    expect(page.data['selectedCount']).toBe(1);
    expect(page.data['totalFine']).toBe('¥50.00');
    expect(page.data['totalPoints']).toBe(1);
    expect((page.data['items'] as Array<{ id: string; checked: boolean }>).find((r) => r.id === 'v1')?.checked).toBe(
      false,
    );
  });

  it('filters by car and keeps what was ticked', async () => {
    const page = await loadPage(LIST, { cloud: cloud(0) });
    expect(page.text('#filter')).toContain('桂AD12345');
    await page.tap('#pick-v1');

    await page.emit('#filter', 'change', { value: '桂AD12345', label: '桂AD12345' });
    const ids = (page.data['items'] as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toEqual(['v2', 'v5']);
    await page.tap('#pick-v2');
    expect(page.data['selectedCount']).toBe(2);
    expect(page.data['totalFine']).toBe('¥300.00');

    await page.emit('#filter', 'change', { value: '' });
    expect(
      (page.data['items'] as Array<{ id: string; checked: boolean }>).filter((r) => r.checked).map((r) => r.id),
    ).toEqual(['v1', 'v2']);
  });

  it('opened for one car, shows that car only', async () => {
    const page = await loadPage(LIST, { query: { plate: encodeURIComponent('桂AD12345') }, cloud: cloud() });
    expect(page.data['filter']).toBe('桂AD12345');
    expect(page.data['filteredCount']).toBe(2);
  });

  it('warns before submit when the batch would reach 12 points, and sends nothing', async () => {
    const page = await loadPage(LIST, { cloud: cloud(3) });
    expect(page.text()).toContain('本记分周期已记 3 分');
    await page.tap('#pick-v1');
    expect(page.has('#warning')).toBe(false);
    await page.tap('#pick-v2'); // 3 + 6 + 3 = 12
    expect(page.text('#warning')).toContain('合计 12 分，达到 12 分，不能在网上处理');

    await page.tap('#submit');
    expect(page.data['limitVisible']).toBe(true);
    expect(page.data['confirmVisible']).toBe(false);
    expect(processCalls(page)).toEqual([]);

    await page.tap('#pick-v2');
    expect(page.has('#warning')).toBe(false);
  });

  it('processes the ticked violations after confirming, then opens the decision to pay', async () => {
    const page = await loadPage(LIST, {
      cloud: cloud(0, {
        process: () =>
          ok({
            decisionId: 'dec-1',
            decisionNo: '4501000000000123',
            amount: 25000,
            fine: 25000,
            points: 7,
            dueDate: '2025-09-17',
            order: ORDER,
          }),
      }),
    });
    await page.tap('#submit'); // nothing ticked: disabled
    expect(page.data['confirmVisible']).toBe(false);

    await page.tap('#pick-v1');
    await page.tap('#pick-v3');
    await page.tap('#submit');
    expect(page.data['confirmContent']).toContain('共 2 条违法，罚款 ¥250.00，记 7 分，处理后本记分周期累计 7 分');
    await page.emit('#confirm-dialog', 'cancel');
    expect(processCalls(page)).toEqual([]);

    await page.tap('#submit');
    await page.emit('#confirm-dialog', 'confirm');
    expect(processCalls(page)).toEqual([
      { name: 'violation', data: { action: 'process', violationIds: ['v1', 'v3'], pay: true } },
    ]);
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({
        url: '/pages/payment/confirm/index?decisionId=dec-1&decisionNo=4501000000000123&amount=25000&points=7&count=2&dueDate=2025-09-17',
      }),
    );
    // the order came with the decision: the payment page pays it without a call
    expect(page.storage.get('handedOrder')).toMatchObject({ decisionId: 'dec-1', order: ORDER });
  });

  it('a refused batch is its sentence; a refusal the registry caused reloads the list', async () => {
    const refusals = [
      ['LICENCE_NOT_FOUND', '未查询到您名下的驾驶证信息'],
      ['NOT_VERIFIED', '请先完成实名认证'],
      ['NOT_PROCESSABLE', '所选违法记录不符合网上处理条件'],
      ['POINTS_LIMIT', '累计记分将达到 12 分'],
    ] as const;
    const answers = refusals.map(([code]) => fail(code));
    const page = await loadPage(LIST, { cloud: cloud(0, { process: () => next(answers) }) });
    for (const [code, sentence] of refusals) {
      if (page.data['selectedCount'] === 0) await page.tap('#pick-v1');
      await page.tap('#submit');
      await page.emit('#confirm-dialog', 'confirm');
      expect([code, page.text('#notice')]).toEqual([code, expect.stringContaining(sentence)]);
    }
    expect(page.wx.navigateTo).not.toHaveBeenCalled();
    // NOT_PROCESSABLE and POINTS_LIMIT fetched the list again (and cleared the selection)
    expect(page.cloudCalls.filter((c) => c.data['action'] === 'list')).toHaveLength(3);
    expect(page.data['selectedCount']).toBe(0);
  });

  it('a processed, unpaid violation offers payment of its decision', async () => {
    const page = await loadPage(LIST, { cloud: cloud() });
    await page.emit('#stage', 'change', { value: 'unpaid' });
    await page.tap('#pay-v6');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({
        url: '/pages/payment/confirm/index?decisionId=d-6&decisionNo=4501000000000061&amount=21200&count=1&dueDate=2025-09-16',
      }),
    );
  });

  it('says when there is nothing, and when the driver is not verified', async () => {
    const empty = await loadPage(LIST, {
      cloud: {
        violation: byAction('violation', { list: () => ok({ violations: [] }) }),
      },
    });
    expect(empty.text('#empty')).toContain('暂无电子监控违法记录');

    const unverified = await loadPage(LIST, {
      cloud: { user: () => fail('NOT_VERIFIED'), violation: () => fail('NOT_VERIFIED') },
    });
    expect(unverified.text('#load-error')).toContain('请先完成实名认证和人脸识别认证');
    expect(unverified.has('#verify')).toBe(true);
  });

  it('takes at most 20 in one batch', async () => {
    const many = Array.from({ length: 21 }, (_, i) => violation(`m${i}`, { fine: 100, points: 0 }));
    const page = await loadPage(LIST, {
      cloud: {
        violation: byAction('violation', { list: () => ok({ violations: many }) }),
      },
    });
    await page.tap('#more');
    for (let i = 0; i < 21; i += 1) await page.tap(`#pick-m${i}`);
    expect(page.data['selectedCount']).toBe(20);
    expect(page.text('#notice')).toContain('一次最多处理 20 条违法记录');
  });

  it('renders 100 violations a page at a time, each setData of the first render within 16 KB', async () => {
    const hundred = Array.from({ length: 100 }, (_, i) =>
      violation(`V2025${String(i).padStart(6, '0')}`, {
        plate: i % 2 === 0 ? '桂A12345' : '桂AD12345',
        place: `南宁市青秀区民族大道${i}号与竹溪大道交叉口往东五十米`,
        behaviour: '驾驶机动车在高速公路、城市快速路以外的道路上不按规定车道行驶',
        ...(i % 3 === 0
          ? { processable: false, reasons: ['FINE_OVER_LIMIT', 'POINTS_OVER_LIMIT', 'CYCLE_POINTS'] as const }
          : {}),
      }),
    );
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const page = await loadPage(LIST, {
      cloud: {
        violation: byAction('violation', { list: () => gate.then(() => ok({ violations: hundred })) }),
      },
    });
    const payloads: number[] = [Buffer.byteLength(JSON.stringify(page.data))];
    const setData = page.instance.setData.bind(page.instance);
    page.instance.setData = (data, callback) => {
      payloads.push(Buffer.byteLength(JSON.stringify(data)));
      setData(data, callback);
    };
    release();
    await page.settle();

    expect(page.data['filteredCount']).toBe(100);
    expect((page.data['items'] as unknown[]).length).toBe(20);
    const largest = Math.max(...payloads);
    expect(largest).toBeLessThanOrEqual(FIRST_RENDER_LIMIT);
    expect(Buffer.byteLength(JSON.stringify(page.data))).toBeLessThanOrEqual(FIRST_RENDER_LIMIT);
    // the figure the project reports
    process.stdout.write(
      `violations page, 100 violations: largest first-render setData ${largest} bytes, whole data ${Buffer.byteLength(JSON.stringify(page.data))} bytes\n`,
    );

    payloads.length = 0;
    await page.tap('#more');
    expect((page.data['items'] as unknown[]).length).toBe(40);
    expect(Math.max(...payloads)).toBeLessThanOrEqual(FIRST_RENDER_LIMIT);
  });
});
