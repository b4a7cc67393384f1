/**
 * One load run against running sync server nodes: `writers` replicas per store commit one event
 * per push as fast as the server accepts them (rebasing on rejection), for at most `seconds` or
 * `maxPushes` accepted pushes per store, whichever comes first. A watcher per store, connected to
 * the last node (another node than the writers' in PostgreSQL mode), timestamps every event it is
 * sent: fan-out latency = commit start on a writer → event at the watcher.
 */
import type { LiveEvent } from '../../src/core/live-event.ts';
import type { SyncServerMessage } from '../../src/core/sync-protocol.ts';
import { connectForTesting, replicaForTesting } from '../sync-client-testing.ts';
import type { Replica, TestConnection } from '../sync-client-testing.ts';

export interface LoadRunOptions {
  readonly writerUrl: string;
  readonly watcherUrl: string;
  readonly stores: number;
  readonly writers: number;
  readonly seconds: number;
  readonly maxPushes: number;
  readonly label: string;
}

export interface LoadRunResult {
  readonly label: string;
  readonly stores: number;
  readonly writers: number;
  readonly seconds: number;
  readonly acceptedPushes: number;
  readonly pushesPerSecond: number;
  readonly eventsPerSecond: number;
  readonly perStorePushesPerSecond: number;
  readonly worstRetries: number;
  readonly fanoutP50Ms: number;
  readonly fanoutP99Ms: number;
}

let run = 0;

export async function loadRun(o: LoadRunOptions): Promise<LoadRunResult> {
  const tag = `load${++run}-${process.pid}-${Date.now().toString(36)}`;
  const storeIds = Array.from({ length: o.stores }, (_, i) => `${tag}-s${i}`);
  const started = new Map<string, number>();
  const latencies: number[] = [];
  const watchers: TestConnection[] = [];
  for (const storeId of storeIds) {
    const w = await connectForTesting(o.watcherUrl);
    w.ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as SyncServerMessage;
      if (m.type !== 'events') return;
      const now = performance.now();
      for (const e of m.events as readonly LiveEvent[]) {
        const t0 = started.get(e.id);
        if (t0 !== undefined) latencies.push(now - t0);
      }
    });
    await w.hello(storeId);
    w.pull(storeId, 0);
    await w.take((m) => m.type === 'events' && m.live);
    watchers.push(w);
  }
  const replicas: Replica[] = [];
  for (const storeId of storeIds) {
    for (let i = 0; i < o.writers; i++) replicas.push(await replicaForTesting(o.writerUrl, storeId, `${storeId}-w${i}`));
  }
  const accepted = new Map<string, number>(storeIds.map((s) => [s, 0]));
  const t0 = performance.now();
  const deadline = t0 + o.seconds * 1000;
  await Promise.all(replicas.map(async (r, k) => {
    const storeId = storeIds[Math.floor(k / o.writers)]!;
    let made = 0;
    const clientId = `${storeId}-w${k % o.writers}`;
    while (performance.now() < deadline && (accepted.get(storeId) ?? 0) < o.maxPushes) {
      started.set(`${clientId}-${made++}`, performance.now()); // the replica's next event id
      await r.commit(1);
      accepted.set(storeId, (accepted.get(storeId) ?? 0) + 1);
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  const total = [...accepted.values()].reduce((a, b) => a + b, 0);
  // Let the watchers receive the last events before reading the latencies.
  await Promise.all(watchers.map((w, i) => waitFor(() => receivedCount(w) >= (accepted.get(storeIds[i]!) ?? 0), 10_000)));
  const violations = replicas.flatMap((r) => r.violations);
  if (violations.length > 0) throw new Error(`protocol violations under load: ${violations.slice(0, 3).join('; ')}`);
  await Promise.all([...replicas, ...watchers].map((c) => c.close()));
  latencies.sort((a, b) => a - b);
  return {
    label: o.label,
    stores: o.stores,
    writers: o.writers,
    seconds: round(elapsed),
    acceptedPushes: total,
    pushesPerSecond: round(total / elapsed),
    eventsPerSecond: round(total / elapsed),
    perStorePushesPerSecond: round(total / elapsed / o.stores),
    worstRetries: Math.max(0, ...replicas.flatMap((r) => r.rejections)),
    fanoutP50Ms: round(quantile(latencies, 0.5)),
    fanoutP99Ms: round(quantile(latencies, 0.99)),
  };
}

function receivedCount(w: TestConnection): number {
  return w.received.reduce((n, m) => n + (m.type === 'events' ? m.events.length : 0), 0);
}

async function waitFor(fn: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!fn() && performance.now() < end) await new Promise((r) => setTimeout(r, 20));
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const round = (x: number): number => Math.round(x * 100) / 100;
