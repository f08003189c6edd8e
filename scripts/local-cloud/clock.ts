/**
 * The local cloud's clock: real time plus an offset a tester can move (POST /sandbox/clock), so "day 16 after the
 * decision" or "a request older than 24 hours" can be tried without waiting. Functions get the offset per
 * invocation; WeChat's cloud has no such thing and the functions' clock falls back to the system time there.
 */
export class LocalClock {
  offsetMs = 0;
  private readonly listeners = new Set<() => void>();

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  set(offsetMs: number): void {
    if (!Number.isFinite(offsetMs)) throw new Error('clock offset must be a finite number of milliseconds');
    this.offsetMs = offsetMs;
    // Timer triggers wait on real-time timeouts: they must re-plan when the clock jumps.
    for (const listener of this.listeners) listener();
  }

  /** Calls `listener` after every move of the offset; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
