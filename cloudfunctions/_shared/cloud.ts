/**
 * The one place that touches wx-server-sdk's globals. Everything else receives `db` and the caller through
 * these helpers, so the same code runs in WeChat's cloud and on the local cloud.
 */
import cloud from 'wx-server-sdk';

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });

export { cloud };
export const db = cloud.database();
export const command = db.command;

/** The caller's openid as WeChat injects it; '' for server-to-server calls and triggers. Never read from the event. */
export function callerOpenid(): string {
  const openid: unknown = cloud.getWXContext().OPENID;
  return typeof openid === 'string' ? openid : '';
}
