/** Display formats shared by the pages. Times are shown in Asia/Shanghai whatever the phone's zone. */
import { parseInstant, shanghaiDateTime } from '../domain/core/dates';

/** `2025-03-01 08:05`; the input unchanged if it is not an ISO 8601 instant. */
export function formatDateTime(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '';
  const ms = parseInstant(iso);
  if (ms === null) return iso;
  return shanghaiDateTime(ms).slice(0, 16).replace('T', ' ');
}

/** A page URL with its query, each value encoded (plates and names are Chinese). */
export function pageUrl(path: string, query: Readonly<Record<string, string | number | undefined>> = {}): string {
  const parts: string[] = [];
  Object.keys(query).forEach((key) => {
    const value = query[key];
    if (value !== undefined && value !== '') parts.push(`${key}=${encodeURIComponent(String(value))}`);
  });
  return parts.length === 0 ? path : `${path}?${parts.join('&')}`;
}

/** A query value as WeChat hands it over: still percent-encoded when the URL was built by pageUrl. */
export function queryValue(query: Readonly<Record<string, string | undefined>>, key: string): string {
  const raw = query[key];
  if (raw === undefined) return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
