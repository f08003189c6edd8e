import { ACTIONS, parseEvent } from '../../cloudfunctions/_shared/parse/event';
import { DomainError } from '../../miniprogram/domain/core/errors';
import {
  type RateDecision,
  type RateState,
  REQUESTER_LIMITS,
  takeRateSlot,
  nextShanghaiMidnightMs,
  PLATE_LIMITS,
  formatWait,
  rateLimitMessage,
  moveCarMessage,
  readScannedPlate,
  PLATE_SCANS_PER_DAY,
} from '../../miniprogram/domain/move-car/move-car';
import { defined } from '../helpers/matchers';

const ctx = { today: '2026-11-24' };
/** 2026-11-24 10:00:00 in Nanning. */
const T0 = Date.parse('2026-11-24T10:00:00+08:00');
const MIN = 60_000;

function allowed(decision: RateDecision): RateState {
  if (!decision.allowed) throw new Error(`refused: ${JSON.stringify(decision)}`);
  return decision.next;
}

/** Takes `n` slots `gapMs` apart starting at `from`; returns the counter and the instant of the last one. */
function take(
  limits: typeof REQUESTER_LIMITS,
  n: number,
  from: number,
  gapMs: number,
  state: RateState | null = null,
): { state: RateState | null; at: number } {
  let at = from;
  for (let i = 0; i < n; i += 1) {
    at = from + i * gapMs;
    state = allowed(takeRateSlot(state, limits, at));
  }
  return { state, at };
}

function parseError(event: unknown): DomainError {
  try {
    parseEvent('moveCar', event, ctx);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('move-car rate limits (sliding window + calendar day)', () => {
  it('a requester: 3 in 10 minutes, the 4th refused until the oldest leaves the window', () => {
    const { state } = take(REQUESTER_LIMITS, 3, T0, MIN);
    const fourth = takeRateSlot(state, REQUESTER_LIMITS, T0 + 3 * MIN);
    expect(fourth).toEqual({ allowed: false, rule: 'burst', retryAfterSeconds: 7 * 60 });
    // one millisecond before the first leaves: still refused (1 s to wait); at the edge: allowed
    expect(takeRateSlot(state, REQUESTER_LIMITS, T0 + 10 * MIN - 1)).toMatchObject({
      allowed: false,
      retryAfterSeconds: 1,
    });
    const next = allowed(takeRateSlot(state, REQUESTER_LIMITS, T0 + 10 * MIN));
    expect(next.recent).toEqual([T0 + MIN, T0 + 2 * MIN, T0 + 10 * MIN]);
    expect(next.dayCount).toBe(4);
  });

  it('a requester: 10 a day, the 11th refused until midnight in Nanning even with the window empty', () => {
    const { state, at } = take(REQUESTER_LIMITS, 10, T0, 10 * MIN);
    expect(state?.dayCount).toBe(10);
    const later = at + 30 * MIN;
    const refused = takeRateSlot(state, REQUESTER_LIMITS, later);
    expect(refused).toMatchObject({ allowed: false, rule: 'perDay' });
    const midnight = Date.parse('2026-11-25T00:00:00+08:00');
    expect(nextShanghaiMidnightMs(later)).toBe(midnight);
    expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBe((midnight - later) / 1000);
    // the next day starts again
    expect(allowed(takeRateSlot(state, REQUESTER_LIMITS, midnight))).toMatchObject({ day: '2026-11-25', dayCount: 1 });
  });

  it('a plate: 1 in 5 minutes, 6 a day', () => {
    const first = allowed(takeRateSlot(null, PLATE_LIMITS, T0));
    expect(takeRateSlot(first, PLATE_LIMITS, T0 + 2 * MIN)).toEqual({
      allowed: false,
      rule: 'burst',
      retryAfterSeconds: 180,
    });
    const { state } = take(PLATE_LIMITS, 6, T0, 5 * MIN);
    expect(takeRateSlot(state, PLATE_LIMITS, T0 + 6 * 5 * MIN)).toMatchObject({ allowed: false, rule: 'perDay' });
  });

  it('both rules refusing: the longer wait is the one given', () => {
    // 6 a day used up and the last one a minute ago: the day's wait is longer than the window's
    const { state, at } = take(PLATE_LIMITS, 6, T0, 5 * MIN);
    const refused = takeRateSlot(state, PLATE_LIMITS, at + MIN);
    expect(refused).toMatchObject({ allowed: false, rule: 'perDay' });
    // just before midnight the window's wait is the longer one
    const lateState: RateState = { day: '2026-11-24', dayCount: 6, recent: [Date.parse('2026-11-24T23:59:00+08:00')] };
    expect(takeRateSlot(lateState, PLATE_LIMITS, Date.parse('2026-11-24T23:59:30+08:00'))).toEqual({
      allowed: false,
      rule: 'burst',
      retryAfterSeconds: 270,
    });
  });

  it('a counter from yesterday, malformed or from the future counts only what is plausible', () => {
    const yesterday: RateState = { day: '2026-11-23', dayCount: 10, recent: [T0 - 1] };
    expect(allowed(takeRateSlot(yesterday, REQUESTER_LIMITS, T0))).toEqual({
      day: '2026-11-24',
      dayCount: 1,
      recent: [T0 - 1, T0],
    });
    const junk = { day: '2026-11-24', dayCount: Number.NaN, recent: [Number.NaN, T0 + 3_600_000] } as RateState;
    expect(allowed(takeRateSlot(junk, REQUESTER_LIMITS, T0))).toEqual({ day: '2026-11-24', dayCount: 1, recent: [T0] });
  });

  it('words the refusal for the requester and for the plate', () => {
    expect(formatWait(1)).toBe('1 分钟');
    expect(formatWait(7 * 60)).toBe('7 分钟');
    expect(formatWait(3600)).toBe('1 小时');
    expect(formatWait(3600 + 61)).toBe('1 小时 2 分钟');
    expect(rateLimitMessage('requester', 'burst', 420)).toContain('7 分钟后再试');
    expect(rateLimitMessage('requester', 'perDay', 1000)).toContain('10 次上限');
    expect(rateLimitMessage('plate', 'burst', 180)).toContain('刚刚已被通知');
    for (const text of [rateLimitMessage('plate', 'perDay', 1), rateLimitMessage('requester', 'burst', 1)])
      expect(text).toContain('122');
  });
});

describe("the owner's message", () => {
  it('plate, place (or a default), time in Nanning and what to do — within WeChat’s limits, nothing about who asked', () => {
    const message = moveCarMessage({
      requestId: 'r1',
      plate: '桂AD12345',
      place: '青秀区东盟商务区地下停车场 B2 层 C 区出口',
      atMs: T0,
    });
    expect(message.page).toBe('pages/move-car/incoming/index?requestId=r1');
    expect(message.data).toEqual({
      car_number1: { value: '桂AD12345' },
      thing2: { value: '青秀区东盟商务区地下停车场 B2 层 …' },
      time3: { value: '2026-11-24 10:00' },
      thing4: { value: '请尽快挪车，可在小程序内回复' },
    });
    expect(Array.from(defined(message.data['thing2']).value)).toHaveLength(20);
    expect(moveCarMessage({ requestId: 'r2', plate: '桂A12345', place: '', atMs: T0 }).data['thing2']).toEqual({
      value: '您的车辆挡住了他人车辆',
    });
  });
});

describe('moveCar events', () => {
  it('has its actions', () => {
    expect(ACTIONS.moveCar).toEqual(['request', 'mine', 'status', 'incoming', 'answer', 'recognisePlate']);
  });

  it('request: a 桂A plate (normalised) and an optional short place', () => {
    expect(parseEvent('moveCar', { action: 'request', plate: ' 桂a·b2c34 ' }, ctx)).toEqual({
      action: 'request',
      params: { plate: '桂AB2C34' },
    });
    expect(parseEvent('moveCar', { action: 'request', plate: '桂AD12345', place: ' 东门 ' }, ctx)).toEqual({
      action: 'request',
      params: { plate: '桂AD12345', place: '东门' },
    });
    expect(parseEvent('moveCar', { action: 'request', plate: '桂A12345', place: '' }, ctx)).toEqual({
      action: 'request',
      params: { plate: '桂A12345' },
    });
    expect(parseError({ action: 'request', plate: '粤B12345' }).code).toBe('PLATE_NOT_SUPPORTED');
    expect(parseError({ action: 'request' })).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'plate' } });
    const long = parseError({ action: 'request', plate: '桂A12345', place: '很'.repeat(41) });
    expect(long).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: '所在位置最多 40 个字。',
      details: { field: 'place' },
    });
  });

  it('answer: one of the replies; ids are opaque ids', () => {
    expect(parseEvent('moveCar', { action: 'answer', requestId: 'abc123', reply: 'coming' }, ctx)).toEqual({
      action: 'answer',
      params: { requestId: 'abc123', reply: 'coming' },
    });
    expect(parseError({ action: 'answer', requestId: 'abc123', reply: '马上到' })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: '请选择回复内容。',
    });
    expect(parseError({ action: 'status', requestId: '../x' })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'requestId' },
    });
  });

  it('recognisePlate: a cloud fileID, nothing else', () => {
    const fileID = 'cloud://local.6c6f-local-1300000000/fault-uploads/0123456789abcdef0123456789abcdef/a.jpg';
    expect(parseEvent('moveCar', { action: 'recognisePlate', fileID }, ctx)).toEqual({
      action: 'recognisePlate',
      params: { fileID },
    });
    expect(parseError({ action: 'recognisePlate' })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'fileID' },
    });
    expect(parseError({ action: 'recognisePlate', fileID: 'https://example.com/a.jpg' })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'fileID' },
    });
    expect(parseError({ action: 'recognisePlate', fileID: `cloud://${'a'.repeat(600)}` })).toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('readScannedPlate (what the plate OCR read, by the plate rules)', () => {
  it('a 桂A small car, blue or green, however WeChat spaced it', () => {
    expect(readScannedPlate('桂AB2C34')).toEqual({ ok: true, plate: '桂AB2C34', plateType: '02' });
    expect(readScannedPlate(' 桂A·D12345 ')).toEqual({ ok: true, plate: '桂AD12345', plateType: '52' });
    expect(readScannedPlate('桂ab2c34')).toEqual({ ok: true, plate: '桂AB2C34', plateType: '02' });
  });

  it('a real plate that is not served: refused with the reason a typed plate gets', () => {
    expect(readScannedPlate('粤B12345')).toMatchObject({ ok: false, plate: '粤B12345', reason: 'OTHER_PROVINCE' });
    expect(readScannedPlate('桂B12345')).toMatchObject({ ok: false, reason: 'OTHER_CITY_GUANGXI' });
    expect(readScannedPlate('桂A1234学')).toMatchObject({ ok: false, reason: 'SPECIAL_VEHICLE' });
    expect(readScannedPlate('桂A12345D')).toMatchObject({ ok: false, reason: 'LARGE_VEHICLE' });
  });

  it('nothing, noise or a misread (letters no plate uses) is nothing recognised', () => {
    for (const text of ['', '   ', 'ABC', '桂AI2345', '桂AO2345', '桂A1234', '桂A1234567', 'x'.repeat(40)])
      expect(readScannedPlate(text)).toBeNull();
  });

  it('the daily scan limit is a small positive number', () => {
    expect(PLATE_SCANS_PER_DAY).toBe(20);
  });
});
