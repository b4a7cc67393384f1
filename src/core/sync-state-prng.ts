/**
 * Seeded randomness for the sync simulation and its tests: a failing run is reproduced from its
 * seed alone, so nothing here may depend on Math.random or the clock.
 *
 * - `createPrngForTesting(seed)`: mulberry32, a 32-bit generator, uniform floats in [0, 1).
 * - `hashStringForTesting(s)`: FNV-1a, 32 bits; lets a pure conflict hook "choose at random"
 *   while its answer still depends only on the events it is shown.
 */

export function createPrngForTesting(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashStringForTesting(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
