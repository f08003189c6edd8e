/**
 * The server's clock. LOCAL_CLOUD_CLOCK_OFFSET_MS exists only on the local cloud (it moves time for tests and demos,
 * e.g. to day 16 after a decision); WeChat's cloud never sets it, so there it is the plain system clock.
 */
import { shanghaiDate, type IsoDate } from '../../miniprogram/domain/core/dates';

export function nowMs(): number {
  const offset = Number(process.env['LOCAL_CLOUD_CLOCK_OFFSET_MS'] ?? 0);
  return Date.now() + (Number.isFinite(offset) ? offset : 0);
}

export function nowIso(): string {
  return new Date(nowMs()).toISOString();
}

/** Today's date in Nanning (Asia/Shanghai). */
export function today(): IsoDate {
  return shanghaiDate(nowMs());
}
