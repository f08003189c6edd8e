/**
 * A page's initial `data` field typed as everything it may later hold: `field<Theme>('info')`. Component() infers the
 * data's type from the literal, where a bare 'info' would widen to string, and the linter cannot see that a plain
 * `'info' as Theme` is what keeps the union.
 */
export function field<T>(value: T): T {
  return value;
}
