// busyAction on a bare page: one action per key at a time per instance, the failure shown, the flag cleared however
// it ends, and nothing awaited before the work starts.
import { ServiceError } from '../../miniprogram/services/errors';
import { busyAction, isBusy } from '../../miniprogram/utils/busy';

interface Data {
  submitting: boolean;
  notice: string;
  theme: 'info' | 'error';
}

function fakePage(): { data: Data; patches: Partial<Data>[]; setData(patch: Partial<Data>): void } {
  return {
    data: { submitting: false, notice: '', theme: 'info' },
    patches: [],
    setData(patch) {
      this.patches.push(patch);
      Object.assign(this.data, patch);
    },
  };
}

function deferred(): { promise: Promise<void>; resolve(): void; reject(error: unknown): void } {
  let resolve = (): void => undefined;
  let reject = (_error: unknown): void => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

it('drops a second tap on the same key while one runs, per page instance; other keys and pages go on', async () => {
  const page = fakePage();
  const other = fakePage();
  const gate = deferred();
  const work = jest.fn(() => gate.promise);
  const first = busyAction(page, 'submit', work, { start: { submitting: true }, end: { submitting: false } });
  expect(isBusy(page, 'submit')).toBe(true);
  expect(await busyAction(page, 'submit', work)).toBe(false);
  expect(work).toHaveBeenCalledTimes(1);
  expect(await busyAction(page, 'refresh', () => Promise.resolve())).toBe(true);
  expect(await busyAction(other, 'submit', () => Promise.resolve())).toBe(true);
  gate.resolve();
  expect(await first).toBe(true);
  expect(isBusy(page, 'submit')).toBe(false);
  expect(page.patches).toEqual([{ submitting: true }, { submitting: false }]);
});

it('starts the work in the same turn as the tap, so a WeChat panel it opens is still inside the tap', () => {
  const page = fakePage();
  const work = jest.fn(() => Promise.resolve());
  void busyAction(page, 'ask', work);
  expect(work).toHaveBeenCalledTimes(1);
});

it('shows a failure with the page patch, then the end patch, and takes the next tap', async () => {
  const page = fakePage();
  const done = await busyAction(page, 'submit', () => Promise.reject(new ServiceError('NETWORK')), {
    start: { submitting: true, notice: '' },
    failure: (error) => ({ notice: error instanceof Error ? error.message : '', theme: 'error' }),
    end: { submitting: false },
  });
  expect(done).toBe(false);
  expect(page.patches).toEqual([
    { submitting: true, notice: '' },
    { notice: '网络不给力，请检查网络连接后重试。', theme: 'error' },
    { submitting: false },
  ]);
  expect(await busyAction(page, 'submit', () => Promise.resolve())).toBe(true);
});

it('without a failure patch the error goes to the caller, and the flag is still cleared', async () => {
  const page = fakePage();
  await expect(busyAction(page, 'ask', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  expect(isBusy(page, 'ask')).toBe(false);
});
