/**
 * One-click move-car (一键挪车): a driver blocked in asks the owner of the car in the way to move it. The cloud finds
 * the owner through the vehicle registry and sends them a subscribe message; neither side ever learns the other's
 * phone, name or account. The requester sees only the outcome; the owner sees the request and may answer.
 *
 * Requests are rate-limited per requester and per plate, on fixed counter documents updated in one transaction:
 * the state of one counter and the pure rule that decides whether another request fits are here.
 */
import { messagePage, ROUTES } from '../routes';
import { shanghaiDate, shanghaiDateTime, SHANGHAI_OFFSET_MS, toDayNumber, type IsoDate } from '../core/dates';
import { clip, type TemplateData } from '../reminder/reminders';
import { classifyPlate, type PlateCheck } from '../vehicle/plate';

/** What the requester is told. `answered`: the owner replied (the reply comes with it). */
export const MOVE_CAR_OUTCOMES = ['notified', 'unreachable', 'answered'] as const;
export type MoveCarOutcome = (typeof MOVE_CAR_OUTCOMES)[number];

export const MOVE_CAR_OUTCOME_TEXTS: Readonly<Record<MoveCarOutcome, string>> = {
  notified: '已通知车主，请在原地稍候。',
  unreachable: '暂时无法联系到车主。如急需挪车，请拨打 122 交通事故报警电话，由交警协助处理。',
  answered: '车主已回复。',
};

/** What an owner may answer (stable codes; the texts are what the requester reads). */
export const MOVE_CAR_REPLIES = ['coming', 'tenMinutes', 'cannot'] as const;
export type MoveCarReply = (typeof MOVE_CAR_REPLIES)[number];

export const MOVE_CAR_REPLY_TEXTS: Readonly<Record<MoveCarReply, string>> = {
  coming: '马上到',
  tenMinutes: '10 分钟内到',
  cannot: '暂时无法挪车',
};

/** After this long a request is history: the owner can no longer answer it. */
export const MOVE_CAR_ANSWER_WINDOW_MS = 2 * 3_600_000;
/** Where the requester is, in their words (`东门停车场 B2 出口`): short, it goes into a message. */
export const MOVE_CAR_PLACE_MAX = 40;
export interface RateLimits {
  /** At most `burst.max` requests in any `burst.windowSeconds` (sliding window). */
  readonly burst: { readonly max: number; readonly windowSeconds: number };
  /** At most this many per calendar day in Nanning (Asia/Shanghai). */
  readonly perDay: number;
}

/** A driver: 3 in 10 minutes, 10 a day — enough for a bad morning, too few to harass anyone. */
export const REQUESTER_LIMITS: RateLimits = { burst: { max: 3, windowSeconds: 600 }, perDay: 10 };
/** A plate: 1 in 5 minutes (one message is enough; more is nagging), 6 a day, whoever asks. */
export const PLATE_LIMITS: RateLimits = { burst: { max: 1, windowSeconds: 300 }, perDay: 6 };

/** One counter: the requests counted today and the instants (epoch ms) of those inside the sliding window. */
export interface RateState {
  readonly day: IsoDate;
  readonly dayCount: number;
  readonly recent: readonly number[];
}

export type RateDecision =
  | { readonly allowed: true; readonly next: RateState }
  | { readonly allowed: false; readonly retryAfterSeconds: number; readonly rule: 'burst' | 'perDay' };

/** The first instant of the next Asia/Shanghai calendar day. */
export function nextShanghaiMidnightMs(nowMs: number): number {
  return (toDayNumber(shanghaiDate(nowMs)) + 1) * 86_400_000 - SHANGHAI_OFFSET_MS;
}

/**
 * Whether one more request fits the counter at `nowMs`, and the counter after it. A missing or malformed counter
 * counts as empty; a counter from an earlier day starts the day again. When both rules refuse, the later time wins.
 */
export function takeRateSlot(state: RateState | null, limits: RateLimits, nowMs: number): RateDecision {
  const today = shanghaiDate(nowMs);
  const windowMs = limits.burst.windowSeconds * 1000;
  const recent = (state?.recent ?? [])
    .filter((at) => Number.isFinite(at) && at > nowMs - windowMs && at <= nowMs)
    .sort((a, b) => a - b);
  const dayCount =
    state !== null && state.day === today && Number.isFinite(state.dayCount) ? Math.max(0, state.dayCount) : 0;
  let refusal: { retryAfterSeconds: number; rule: 'burst' | 'perDay' } | null = null;
  if (dayCount >= limits.perDay) {
    refusal = { retryAfterSeconds: Math.ceil((nextShanghaiMidnightMs(nowMs) - nowMs) / 1000), rule: 'perDay' };
  }
  if (recent.length >= limits.burst.max) {
    // The oldest request still in the window has to leave it before another fits.
    const oldest = recent[recent.length - limits.burst.max] ?? nowMs;
    const seconds = Math.max(1, Math.ceil((oldest + windowMs - nowMs) / 1000));
    if (refusal === null || seconds > refusal.retryAfterSeconds)
      refusal = { retryAfterSeconds: seconds, rule: 'burst' };
  }
  if (refusal !== null) return { allowed: false, ...refusal };
  return { allowed: true, next: { day: today, dayCount: dayCount + 1, recent: [...recent, nowMs] } };
}

/** `3 分钟`, `1 小时 5 分钟`: how long to wait, for the refusal's sentence. */
export function formatWait(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (minutes < 60) return `${minutes} 分钟`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} 小时` : `${hours} 小时 ${rest} 分钟`;
}

/** The refusal's sentence: whose limit it was and how long to wait. */
export function rateLimitMessage(
  subject: 'requester' | 'plate',
  rule: 'burst' | 'perDay',
  retryAfterSeconds: number,
): string {
  if (subject === 'requester') {
    return rule === 'perDay'
      ? `您今天的挪车通知已达 ${REQUESTER_LIMITS.perDay} 次上限，请明天再试；如急需挪车请拨打 122。`
      : `挪车通知发送太频繁，请 ${formatWait(retryAfterSeconds)}后再试；如急需挪车请拨打 122。`;
  }
  return rule === 'perDay'
    ? `该车辆今天已收到多次挪车通知，请拨打 122 由交警协助处理。`
    : `该车辆刚刚已被通知挪车，请耐心等候 ${formatWait(retryAfterSeconds)}；如急需挪车请拨打 122。`;
}
/** Each recognition is a paid call to WeChat's plate OCR: a person gets this many a calendar day (Asia/Shanghai). */
export const PLATE_SCANS_PER_DAY = 20;

export const PLATE_SCAN_LIMIT_MESSAGE = `今天的拍照识别车牌已达 ${PLATE_SCANS_PER_DAY} 次上限，请用号牌键盘手动输入。`;

/**
 * What the OCR read, by the domain's plate rules: null when it read nothing that has the shape of a plate (empty,
 * noise, letters I/O that no plate uses — a misread, so "retake or type it" is the honest answer), otherwise the
 * classified plate (supported, or refused with the reason a typed plate would get).
 */
export function readScannedPlate(text: string): PlateCheck | null {
  const check = classifyPlate(text);
  return !check.ok && check.reason === 'MALFORMED' ? null : check;
}
/**
 * The subscribe message to the owner (template 挪车通知): the plate, where, when, and what to do. Nothing about who
 * asked. WeChat's limits: car_number ≤ 8, thing ≤ 20 characters.
 */
export function moveCarMessage(request: {
  readonly requestId: string;
  readonly plate: string;
  readonly place: string;
  readonly atMs: number;
}): {
  readonly page: string;
  readonly data: TemplateData;
} {
  return {
    page: messagePage(ROUTES.moveCarIncoming, `requestId=${request.requestId}`),
    data: {
      car_number1: { value: clip(request.plate, 8) },
      thing2: { value: clip(request.place === '' ? '您的车辆挡住了他人车辆' : request.place, 20) },
      time3: { value: shanghaiDateTime(request.atMs).slice(0, 16).replace('T', ' ') },
      thing4: { value: clip('请尽快挪车，可在小程序内回复', 20) },
    },
  };
}
