/**
 * @jest-environment jsdom
 */
// A disputed violation cannot be processed online; its reason leads to the dispute guide (what to bring, where to go).
import { loadPage } from '../helpers/simulate';
import { byAction, ok, violation } from './fixtures';

it('the DISPUTED reason opens the dispute guide; other reasons have no such link', async () => {
  const page = await loadPage('pages/violation/list/index', {
    cloud: {
      violation: byAction('violation', {
        list: () =>
          ok({
            violations: [
              violation('v1', { processable: false, reasons: ['DISPUTED'] }),
              violation('v2', { processable: false, reasons: ['FINE_OVER_LIMIT'] }),
            ],
          }),
      }),
    },
  });
  expect(page.text('#reasons-v1')).toContain('违法行为发生地的公安交管部门');
  expect(page.has('#dispute-guide-v2')).toBe(false);
  await page.tap('#dispute-guide-v1');
  expect(page.wx.navigateTo).toHaveBeenCalledWith(
    expect.objectContaining({ url: '/pages/guide/detail/index?guideId=violation-dispute' }),
  );
});
