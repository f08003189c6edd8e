/** How the console writes amounts and instants: yuan with two decimals, Asia/Shanghai wall-clock minutes. */
import { shanghaiDateTime } from '../../miniprogram/domain/core/dates';

export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  return `${sign}¥${Math.floor(abs / 100).toLocaleString('en-US')}.${String(abs % 100).padStart(2, '0')}`;
}

/** `2025-03-01 08:05`; text that is not an instant is shown as it came. */
export function formatInstant(text: string): string {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return text;
  return shanghaiDateTime(ms).slice(0, 16).replace('T', ' ');
}
