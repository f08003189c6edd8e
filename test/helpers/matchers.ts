/**
 * jest's asymmetric matchers typed `unknown` instead of @types/jest's `any`, so they can sit in an object literal
 * under the strict lint rules; each one is jest's own matcher, unchanged:
 *
 *   expect(body).toMatchObject({ code: 'NOT_FOUND', message: match.stringContaining('桂A12345') });
 */
export const match = {
  any: (classType: unknown): unknown => expect.any(classType),
  anything: (): unknown => expect.anything(),
  arrayContaining: (items: readonly unknown[]): unknown => expect.arrayContaining(items),
  objectContaining: (object: object): unknown => expect.objectContaining(object),
  stringContaining: (text: string): unknown => expect.stringContaining(text),
  stringMatching: (pattern: string | RegExp): unknown => expect.stringMatching(pattern),
};

/** `value`, or a failed test naming `what` when it is null or undefined (a typed `value!`). */
export function defined<T>(value: T, what = 'value'): NonNullable<T> {
  if (value === undefined || value === null) throw new Error(`expected ${what} to be defined, got ${String(value)}`);
  return value;
}

/** What `run` throws, to match the error itself (@types/jest's toThrow takes no asymmetric matcher). */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but it returned');
}
