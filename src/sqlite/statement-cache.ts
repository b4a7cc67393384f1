/**
 * A least-recently-used cache of prepared statements keyed by SQL text.
 *
 * Materializers and queries repeat the same few SQL strings, so preparing once and reusing is most of
 * the speed of a commit. Evicted statements are finalized; `clear()` finalizes all of them (before a
 * deserialize or close).
 */
import type { Statement } from './statement.ts';

export class StatementCache {
  readonly capacity: number;
  #map = new Map<string, Statement>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#map.size;
  }

  get(sql: string): Statement | undefined {
    const hit = this.#map.get(sql);
    if (hit !== undefined) {
      // re-insert to mark as most recently used (Map keeps insertion order)
      this.#map.delete(sql);
      this.#map.set(sql, hit);
    }
    return hit;
  }

  set(sql: string, stmt: Statement): void {
    this.#map.set(sql, stmt);
    while (this.#map.size > this.capacity) {
      const [oldest, evicted] = this.#map.entries().next().value as [string, Statement];
      this.#map.delete(oldest);
      evicted.finalize();
    }
  }

  clear(): void {
    for (const s of this.#map.values()) s.finalize();
    this.#map.clear();
  }
}
