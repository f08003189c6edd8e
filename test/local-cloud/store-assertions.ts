import { StoreError } from '../../scripts/local-cloud/store/index';

/** `fn` must throw a StoreError with this code (and, when given, a message matching `message`). */
export function expectStoreError(fn: () => unknown, code: string, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(StoreError);
  expect((caught as StoreError).code).toBe(code);
  if (message) expect((caught as StoreError).message).toMatch(message);
}
