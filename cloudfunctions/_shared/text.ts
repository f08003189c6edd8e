/**
 * A value from outside (a stored record, a reply from WeChat, an error the SDK threw) as `String()` writes it, or
 * `fallback` when it is missing: for messages and comparisons where whatever came must still read as something.
 */
export function textOf(value: unknown, fallback = ''): string {
  // Typed unknown, not `{}`: String() of any value, objects included, is what is wanted here.
  const present: unknown = value ?? fallback;
  return String(present);
}
