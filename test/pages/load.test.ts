// loadOnce on a bare page: one load at a time per instance, the failure shown, the flag cleared however it ends.
import { ServiceError } from '../../miniprogram/services/errors';
import { loadOnce } from '../../miniprogram/utils/load';
import { loadMessage } from '../../miniprogram/utils/load-failure';

interface Data {
  loading: boolean;
  loadError: string;
  needsVerify: boolean;
  items: string[];
}

function fakePage(): { data: Data; patches: Partial<Data>[]; setData(patch: Partial<Data>): void } {
  return {
    data: { loading: true, loadError: '', needsVerify: false, items: [] },
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

it('drops a second load while one is under way, per page instance, and takes the next one after', async () => {
  const page = fakePage();
  const other = fakePage();
  const gate = deferred();
  const work = jest.fn(() => gate.promise);
  const first = loadOnce(page, work, { start: { loading: true, loadError: '' } });
  await loadOnce(page, work, { start: { loading: true, loadError: '' } });
  expect(work).toHaveBeenCalledTimes(1);
  expect(page.patches).toEqual([{ loading: true, loadError: '' }]);
  await loadOnce(other, () => Promise.resolve());
  gate.resolve();
  await first;
  await loadOnce(page, work);
  expect(work).toHaveBeenCalledTimes(2);
});

it('leaves success to the work: nothing is set when it has set the page itself', async () => {
  const page = fakePage();
  await loadOnce(page, () => {
    page.setData({ loading: false, loadError: '', items: ['a'] });
    return Promise.resolve();
  });
  expect(page.patches).toEqual([{ loading: false, loadError: '', items: ['a'] }]);
});

it('shows a failure with needsVerify by default, and clears the flag so 重新加载 works', async () => {
  const page = fakePage();
  await loadOnce(page, () => Promise.reject(new ServiceError('NOT_VERIFIED', '请先完成实名认证。')));
  expect(page.data).toMatchObject({ loading: false, loadError: '请先完成实名认证。', needsVerify: true });
  const work = jest.fn(() => {
    page.setData({ loading: false, loadError: '', needsVerify: false });
    return Promise.resolve();
  });
  await loadOnce(page, work);
  expect(work).toHaveBeenCalledTimes(1);
  expect(page.data).toMatchObject({ loading: false, loadError: '', needsVerify: false });
});

it("maps a failure the page's own way when it says so", async () => {
  const page = fakePage();
  await loadOnce(page, () => Promise.reject(new ServiceError('NETWORK')), { failure: loadMessage });
  expect(page.patches).toEqual([{ loading: false, loadError: '网络不给力，请检查网络连接后重试。' }]);
});
