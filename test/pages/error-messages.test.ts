/**
 * @jest-environment jsdom
 */
// Every failure the service layer can meet reaches the driver as a sentence: the server's own message, the code's
// default sentence when the server sent none, and friendly words when the call never reached a function.
import { ERROR_CODES, ERROR_MESSAGES } from '../../miniprogram/domain/core/errors';
import { loadPage } from '../helpers/simulate';
import { fail } from './fixtures';

const LICENCE_PAGE = 'pages/licence/index/index';

it('every error code is shown as its sentence (the default when the server sends an empty message)', async () => {
  const answers: unknown[] = ERROR_CODES.map((code) => ({ ok: false, code, message: '' }));
  const page = await loadPage(LICENCE_PAGE, { cloud: { user: () => answers.shift() } });
  for (const code of ERROR_CODES) {
    expect([code, page.text('#load-error')]).toEqual([code, expect.stringContaining(ERROR_MESSAGES[code])]);
    if (answers.length > 0) await page.tap('#retry');
  }
});

it("the server's own sentence wins over the default", async () => {
  const page = await loadPage(LICENCE_PAGE, {
    cloud: { user: () => fail('INVALID_ARGUMENT', '参数“姓名”有误，请检查后重试。') },
  });
  expect(page.text('#load-error')).toContain('参数“姓名”有误');
});

it('a call that never reached a function, a function that crashed, and an answer that is no envelope', async () => {
  const failures: Array<() => unknown> = [
    () => {
      throw new Error('request:fail timeout');
    },
    () => {
      throw new Error('Error: errCode: -504002 functions execute fail | errMsg: TypeError');
    },
    () => 'not an envelope',
    () => ({ ok: false, code: 'SOMETHING_NEW', message: '一个新的错误。' }),
  ];
  const page = await loadPage(LICENCE_PAGE, { cloud: { user: () => failures.shift()?.() } });
  expect(page.text('#load-error')).toContain('网络不给力，请检查网络连接后重试。');
  await page.tap('#retry');
  expect(page.text('#load-error')).toContain(ERROR_MESSAGES.INTERNAL);
  await page.tap('#retry');
  expect(page.text('#load-error')).toContain(ERROR_MESSAGES.INTERNAL);
  // a code added on the server after this release still shows the server's sentence
  await page.tap('#retry');
  expect(page.text('#load-error')).toContain('一个新的错误。');
});
