/**
 * Summary statistics of a scenario's samples: median and p95 (nearest rank), mean, count. Ratios
 * compare medians of the two stores measured in the same run: ls-elements / LiveStore, so below 1
 * means ls-elements is faster (or smaller).
 */
export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p95: number;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(samples: readonly number[]): Summary | null {
  if (samples.length === 0) return null;
  const s = [...samples].sort((a, b) => a - b);
  const rank = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { n: s.length, median: rank(0.5), p95: rank(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length, min: s[0]!, max: s[s.length - 1]! };
}

export function ratio(ls: Summary | null, livestore: Summary | null): number | null {
  if (ls === null || livestore === null || livestore.median === 0) return null;
  return ls.median / livestore.median;
}
