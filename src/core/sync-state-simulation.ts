/**
 * A seeded, deterministic simulation of one sync server and K clients that each run the pure
 * sync-state machine, for property tests (and the larger fuzz run of issue 9).
 *
 * - Server: one log; accepts a push iff its first event's parent is the head (after stripping a
 *   prefix it already holds at the same numbers: a resend is acknowledged, not doubled), publishes
 *   accepted events live to subscribed clients, then acks; otherwise rejects with the events the
 *   client lacks. A pull answers at most `maxPull` events from a cursor and subscribes the client.
 * - Network: per-client ordered queues both ways, delivered in random interleavings; faults drop
 *   a live message (→ gaps) or disconnect a client (queues lost, acks lost → resends).
 * - Each client keeps a `view`: what its materialized log would hold after carrying out every
 *   result (confirm in place, pop rollback, push apply, push reapply). After every merge the view
 *   must equal upstream part + pending and its upstream part must be the server's log so far.
 * - At the end every client pulls and pushes until quiet; then every client's log must equal the
 *   server's, and every committed event must be in it exactly once, or reported dropped/replaced.
 * Any violation throws an Error naming the seed and step: rerun with that seed to reproduce.
 */
import type { LiveEvent } from './live-event.ts';
import { createSyncState, merge, nextPushBatch } from './sync-state.ts';
import type { MergeResult, OnConflict, SyncInput, SyncRejectReason, SyncState } from './sync-state.ts';
import { checkMergeResult } from './sync-state-invariants.ts';
import { createPrngForTesting, hashStringForTesting } from './sync-state-prng.ts';

export interface SimulationOptions {
  readonly seed: number;
  readonly clients?: number;
  readonly steps?: number;
  readonly maxBatch?: number;
  readonly maxPull?: number;
  /** 'keep': no hook; 'mixed': a pure hook that keeps, drops, replaces, and sometimes fails. */
  readonly conflicts?: 'keep' | 'mixed';
  /** Drop live messages and disconnect clients now and then (default true). */
  readonly faults?: boolean;
  /** The merge under test (default: the real one); lets a test prove the harness catches a bug. */
  readonly merge?: typeof merge;
}

export interface SimulationCounts {
  committed: number; advance: number; rebase: number; dropped: number; replaced: number; hookErrors: number;
  pushesAccepted: number; pushesRejected: number; reject: Record<SyncRejectReason, number>;
}

export interface SimulationReport {
  readonly seed: number;
  readonly serverLog: readonly LiveEvent[];
  readonly clientLogs: readonly (readonly LiveEvent[])[];
  readonly counts: SimulationCounts;
}

type ToServer = { kind: 'push'; batch: readonly LiveEvent[] } | { kind: 'pull'; cursor: number };
type ToClient =
  | { kind: 'live'; events: readonly LiveEvent[] } | { kind: 'pulled'; events: readonly LiveEvent[]; head: number }
  | { kind: 'ack'; events: readonly LiveEvent[] } | { kind: 'rejected'; head: number; missing: readonly LiveEvent[] };

interface Client {
  readonly id: string; state: SyncState; view: LiveEvent[]; outbox: ToServer[]; inbox: ToClient[];
  connected: boolean; subscribed: boolean; pushInFlight: boolean; counter: number;
}

/** A pure hook whose answer depends only on event ids: keeps most, drops, replaces, fails rarely. */
export const mixedConflictHookForTesting: OnConflict = ({ pending }) => {
  const first = pending[0]?.id ?? '';
  if (hashStringForTesting(first) % 23 === 0) throw new Error('simulated hook failure');
  if (hashStringForTesting(first) % 29 === 1) return [];
  return pending.map((e) => {
    const h = hashStringForTesting(e.id) % 6;
    return h === 0 ? { drop: true } : h === 1 ? { replace: { name: `${e.name}!`, args: e.args } } : { keep: true };
  });
};

export function simulateSyncForTesting(options: SimulationOptions): SimulationReport {
  const { seed, clients: k = 3, steps = 2000, maxBatch = 4, maxPull = 8, conflicts = 'keep', faults = true, merge: mergeUnderTest = merge } = options;
  const rand = createPrngForTesting(seed);
  const mergeOptions = conflicts === 'mixed' ? { onConflict: mixedConflictHookForTesting } : {};
  let step = 0;
  const fail = (msg: string): never => { throw new Error(`sync simulation seed ${seed}, step ${step}: ${msg}`); };
  const counts: SimulationCounts = {
    committed: 0, advance: 0, rebase: 0, dropped: 0, replaced: 0, hookErrors: 0, pushesAccepted: 0, pushesRejected: 0,
    reject: { 'gap': 0, 'stale-parent': 0, 'not-contiguous': 0, 'duplicate-id': 0, 'ack-mismatch': 0 },
  };
  const log: LiveEvent[] = [];
  const logIndex = new Map<string, number>();
  const created = new Set<string>();
  const gone = new Map<string, 'dropped' | 'replaced'>();
  const clients: Client[] = Array.from({ length: k }, (_, i) => ({
    id: `c${i}`, state: createSyncState(), view: [], outbox: [{ kind: 'pull', cursor: 0 }], inbox: [],
    connected: true, subscribed: false, pushInFlight: false, counter: 0,
  }));

  function serverPush(batch: readonly LiveEvent[]): ToClient {
    let known = 0;
    while (known < batch.length && logIndex.get((batch[known] as LiveEvent).id) === (batch[known] as LiveEvent).seqNum) known++;
    const rest = batch.slice(known);
    if (rest.some((e) => logIndex.has(e.id))) fail('a client pushed an event the server holds at another number');
    const first = rest[0];
    if (first !== undefined && first.parentSeqNum !== log.length) {
      counts.pushesRejected++;
      return { kind: 'rejected', head: log.length, missing: log.slice((batch[0] as LiveEvent).parentSeqNum) };
    }
    for (const e of rest) { logIndex.set(e.id, e.seqNum); log.push(e); }
    if (rest.length > 0) {
      counts.pushesAccepted++;
      for (const c of clients) if (c.subscribed) c.inbox.push({ kind: 'live', events: rest });
    }
    return { kind: 'ack', events: batch };
  }

  function run(c: Client, input: SyncInput): MergeResult {
    const before = c.state;
    const result = mergeUnderTest(before, input, mergeOptions);
    const problems = checkMergeResult(before, input, result);
    if (problems.length > 0) fail(`${c.id} ${input._tag}: ${problems.join('; ')}`);
    if (result._tag === 'reject') { counts.reject[result.reason]++; return result; }
    counts[result._tag]++;
    const { view } = c;
    const put = (e: LiveEvent): void => { if (view.length !== e.seqNum - 1) fail(`${c.id} view has ${view.length} events, ${e.id} is ${e.seqNum}`); view.push(e); };
    if (result._tag === 'rebase') {
      for (const e of result.rollback) if (view.pop() !== e) fail(`${c.id} rollback ${e.id} is not the newest applied event`);
      counts.dropped += result.dropped.length;
      counts.replaced += result.replaced.length;
      if (result.hookError !== undefined) counts.hookErrors++;
      for (const e of result.dropped) gone.set(e.id, 'dropped');
      for (const r of result.replaced) { gone.set(r.original.id, 'replaced'); created.add(r.replacement.id); }
    }
    for (const e of result.confirmed) {
      if (e.seqNum <= view.length) {
        if (view[e.seqNum - 1]?.id !== e.id) fail(`${c.id} confirmed ${e.id} is not at ${e.seqNum} locally`);
        view[e.seqNum - 1] = e;
      }
    }
    for (const e of result.apply) put(e);
    for (const e of result._tag === 'rebase' ? result.reapply : result.newPending) put(e);
    c.state = result.state;
    if (view.length !== c.state.localHead) fail(`${c.id} view length ${view.length} ≠ localHead ${c.state.localHead}`);
    c.state.pending.forEach((e, i) => { if (view[c.state.upstreamHead + i] !== e) fail(`${c.id} view differs from pending at ${e.seqNum}`); });
    for (let s = before.upstreamHead; s < c.state.upstreamHead; s++) {
      if (view[s]?.id !== log[s]?.id) fail(`${c.id} confirmed ${view[s]?.id} at ${s + 1}, the server has ${log[s]?.id}`);
    }
    return result;
  }

  function commit(c: Client, stale: boolean): void {
    const n = stale ? 1 : 1 + Math.floor(rand() * 3);
    const base = stale ? c.state.localHead - 1 : c.state.localHead;
    const events = Array.from({ length: n }, (_, i): LiveEvent => ({
      id: `${c.id}-${c.counter++}`, name: rand() < 0.5 ? 'edit' : 'note', args: { n: c.counter },
      seqNum: base + 1 + i, parentSeqNum: base + i, clientId: c.id, sessionId: `${c.id}-s`, createdAt: step,
    }));
    const result = run(c, { _tag: 'local-push', events });
    if (stale !== (result._tag === 'reject')) fail(`${c.id} local push of ${stale ? 'stale' : 'fresh'} events gave ${result._tag}`);
    if (!stale) { counts.committed += n; for (const e of events) created.add(e.id); }
  }

  function deliver(c: Client, msg: ToClient): void {
    if (msg.kind === 'ack' || msg.kind === 'rejected') c.pushInFlight = false;
    const input: SyncInput = msg.kind === 'ack' ? { _tag: 'push-ack', events: msg.events }
      : msg.kind === 'rejected' ? { _tag: 'push-rejected', head: msg.head, missing: msg.missing }
        : { _tag: 'upstream-advance', events: msg.events };
    const result = run(c, input);
    if (result._tag === 'reject' && !(msg.kind === 'live' && result.reason === 'gap')) fail(`${c.id} ${msg.kind} rejected: ${result.message}`);
    const head = msg.kind === 'pulled' || msg.kind === 'rejected' ? msg.head : undefined;
    if (result._tag === 'reject' || (head !== undefined && c.state.upstreamHead < head)) c.outbox.push({ kind: 'pull', cursor: c.state.upstreamHead });
  }

  function serve(c: Client, msg: ToServer): void {
    if (msg.kind === 'push') { c.inbox.push(serverPush(msg.batch)); return; }
    c.inbox.push({ kind: 'pulled', events: log.slice(msg.cursor, msg.cursor + maxPull), head: log.length });
    c.subscribed = true;
  }

  function disconnect(c: Client): void {
    Object.assign(c, { connected: false, subscribed: false, pushInFlight: false, inbox: [], outbox: [] });
  }

  const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(rand() * xs.length)];
  for (step = 0; step < steps; step++) {
    const c = pick(clients) as Client;
    const r = rand() * 20;
    if (r < 5) commit(c, false);
    else if (r < 5.3) { if (c.state.localHead > 0) commit(c, true); }
    else if (r < 8) {
      if (c.connected && !c.pushInFlight && c.state.pending.length > 0) {
        c.pushInFlight = true;
        c.outbox.push({ kind: 'push', batch: nextPushBatch(c.state, maxBatch) });
      }
    } else if (r < 8.6) { if (c.connected) c.outbox.push({ kind: 'pull', cursor: c.state.upstreamHead }); }
    else if (r < 13.5) { const msg = c.outbox.shift(); if (msg !== undefined) serve(c, msg); }
    else if (r < 19) { const msg = c.inbox.shift(); if (msg !== undefined) deliver(c, msg); }
    else if (r < 19.2) { if (faults) { const i = c.inbox.findIndex((m) => m.kind === 'live'); if (i >= 0) c.inbox.splice(i, 1); } }
    else if (r < 19.3) { if (faults && c.connected) disconnect(c); }
    else if (!c.connected) { c.connected = true; c.outbox.push({ kind: 'pull', cursor: c.state.upstreamHead }); }
  }

  // Quiesce: each client alone pulls everything, then pushes until nothing is pending.
  const pullAll = (c: Client): void => {
    while (c.state.upstreamHead < log.length) run(c, { _tag: 'upstream-advance', events: log.slice(c.state.upstreamHead, c.state.upstreamHead + maxPull) });
  };
  for (const c of clients) disconnect(c);
  for (const c of clients) {
    pullAll(c);
    for (let guard = 0; c.state.pending.length > 0; guard++) {
      if (guard > 10_000) fail(`${c.id} cannot get its pending events accepted`);
      const reply = serverPush(nextPushBatch(c.state, maxBatch));
      if (reply.kind !== 'ack') fail(`${c.id} push was rejected while alone`);
      deliver(c, reply);
    }
  }
  for (const c of clients) pullAll(c);

  log.forEach((e, i) => { if (e.seqNum !== i + 1 || e.parentSeqNum !== i) fail(`server log broken at ${i + 1}`); });
  for (const c of clients) {
    if (c.view.length !== log.length || c.view.some((e, i) => !sameEvent(e, log[i]))) fail(`${c.id} log differs from the server's`);
  }
  for (const id of created) {
    const fates = (logIndex.has(id) ? 1 : 0) + (gone.has(id) ? 1 : 0);
    if (fates !== 1) fail(`event ${id} is ${fates === 0 ? 'lost' : `both in the log and ${gone.get(id) ?? ''}`}`);
  }
  for (const e of log) if (!created.has(e.id)) fail(`server event ${e.id} was never committed`);
  return { seed, serverLog: log, clientLogs: clients.map((c) => c.view), counts };
}

function sameEvent(a: LiveEvent, b: LiveEvent | undefined): boolean {
  return b !== undefined && a.id === b.id && a.seqNum === b.seqNum && a.parentSeqNum === b.parentSeqNum && a.name === b.name &&
    a.clientId === b.clientId && a.sessionId === b.sessionId && a.createdAt === b.createdAt && JSON.stringify(a.args) === JSON.stringify(b.args);
}
