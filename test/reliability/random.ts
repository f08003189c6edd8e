/** The seed RELIABILITY_SEED asks for (a positive safe integer), to replay a failing run; undefined when unset. */
export function seedFromEnv(): number | undefined {
  const fromEnv = Number(process.env['RELIABILITY_SEED']);
  return Number.isSafeInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}

/** A small seeded generator, so a failing storm can be replayed: the seed is printed, RELIABILITY_SEED sets it. */
export function seededRandom(label: string): {
  seed: number;
  next: () => number;
  int: (n: number) => number;
  pick: <T>(items: readonly T[]) => T;
} {
  const seed = seedFromEnv() ?? Math.floor(Math.random() * 2 ** 31);
  let state = seed >>> 0;
  // mulberry32
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  console.log(`${label}: RELIABILITY_SEED=${seed}`);
  return { seed, next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)] as T };
}
