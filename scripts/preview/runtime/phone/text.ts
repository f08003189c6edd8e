/**
 * A string from loosely typed data (component properties, wx API options, JSON answers): `fallback` when the value
 * is missing, else the value as String() writes it.
 */
export function asText(value: unknown, fallback = ''): string {
  // Deliberate: whatever a page passed, the preview shows it as WeChat would, even as [object Object].
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return value === undefined || value === null ? fallback : String(value);
}
