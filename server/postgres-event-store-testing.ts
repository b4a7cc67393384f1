/**
 * Test support for the PostgreSQL event store's node tests (no product code imports this).
 *
 * `startPostgresForTesting()` uses `LS_TEST_POSTGRES_URL` when set, else starts a throwaway cluster
 * with scripts/pg-harness.mjs. Everything made through it (pools, store nodes) is closed by `stop()`,
 * before the cluster stops, so no socket sees the server vanish. Tests isolate by `freshSchema()`.
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import type { QueryResultRow } from 'pg';
import type { LiveEvent } from '../src/core/live-event.ts';
import { createPostgresEventStore } from './postgres-event-store.ts';
import { endPostgresPool } from './postgres-event-store-sql.ts';
import type { PostgresEventStore, PostgresEventStoreOptions } from './postgres-event-store.ts';

export interface PostgresForTesting {
  readonly url: string;
  /** Runs one statement on an admin pool. */
  query<R extends QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
  /** A pool that ignores connection errors; ended by stop(). */
  pool(max?: number): Pool;
  /** A store node on `schema` with the poll timer off unless `extra` sets it; closed by stop(). */
  node(schema: string, extra?: Partial<PostgresEventStoreOptions>): Promise<PostgresEventStore>;
  freshSchema(): string;
  stop(): Promise<void>;
}

interface Cluster { readonly url: string; stop(): Promise<void> }

export async function startPostgresForTesting(): Promise<PostgresForTesting> {
  const fromEnv = process.env['LS_TEST_POSTGRES_URL'];
  let cluster: Cluster;
  if (fromEnv) cluster = { url: fromEnv, stop: async () => {} };
  else {
    // A variable specifier: the harness is plain JS without type declarations.
    const harnessUrl = new URL('../scripts/pg-harness.mjs', import.meta.url).href;
    const harness = (await import(harnessUrl)) as { startThrowawayPostgres(): Promise<Cluster> };
    cluster = await harness.startThrowawayPostgres();
  }
  const pools: Pool[] = [];
  const nodes: PostgresEventStore[] = [];
  const pool = (max = 10): Pool => {
    const p = new Pool({ connectionString: cluster.url, max }).on('error', () => {});
    pools.push(p);
    return p;
  };
  const admin = pool();
  let stopped: Promise<void> | undefined;
  return {
    url: cluster.url,
    query: async (sql, values) => (await admin.query(sql, values)).rows,
    pool,
    async node(schema, extra = {}) {
      const store = await createPostgresEventStore({ connectionString: cluster.url, schema, pollIntervalMs: 0, ...extra });
      nodes.push(store);
      return store;
    },
    freshSchema: () => `t_${randomBytes(6).toString('hex')}`,
    stop() {
      stopped ??= (async () => {
        await Promise.allSettled(nodes.map((n) => n.close()));
        await Promise.allSettled(pools.map(endPostgresPool));
        await cluster.stop();
      })();
      return stopped;
    },
  };
}

let serial = 0;

/** `n` contiguous events numbered from `from`, with unique ids (prefixed by `tag`). */
export function eventsForTesting(from: number, n: number, tag = 'e'): LiveEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${tag}-${from + i}-${serial++}`,
    name: 'todoCreated',
    args: { text: `todo ${from + i}` },
    seqNum: from + i,
    parentSeqNum: from + i - 1,
    clientId: 'client-1',
    sessionId: 'session-1',
    createdAt: 1_700_000_000_000 + i,
  }));
}
