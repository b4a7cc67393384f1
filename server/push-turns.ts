/**
 * Progress guarantee for pushers: the per-store queue that decides whose push runs next.
 *
 * Without it, a push is accepted iff it is based on the head, so a client whose round trip is
 * slower than the others' can be rejected forever: by the time its rebased batch arrives, someone
 * else has moved the head again. Here every push of a store (on this server node) is a job in one
 * FIFO queue, run one at a time, and a rejection comes with a **reservation**:
 *
 * - No reservation: the oldest queued job runs. Its push is accepted (base = head) or rejected;
 *   a rejected pusher then holds the store: reservation { holder, head, deadline = now + R }.
 * - While a reservation is held, only the holder's jobs run (they jump the queue); the other jobs
 *   wait, unanswered, in FIFO order. The holder's rebased push is based on the head it was just
 *   told, and nothing else ran, so it is accepted; acceptance ends the reservation.
 * - A reservation ends early when its holder disconnects, and lapses at its deadline (a timer of
 *   the injectable clock wakes the queue). A holder's second rejection at an unchanged head keeps
 *   the old deadline, so a client cannot hold a store by pushing stale batches.
 *
 * Bound: a client that pushes its rebased batch within R is rejected at most ONCE per push,
 * whatever the number of writers; its push waits for at most the jobs queued before it, each
 * taking at most one rejection plus one reserved round trip (≤ R). Only a client slower than R
 * can be rejected again (its reservation lapsed; it queues at the back). The guarantee is per
 * server node: with several nodes on PostgreSQL it holds when all connections of a store reach
 * the same node (route by storeId); other nodes' appends make a holder's push fail and renew
 * its reservation, so progress then degrades to plain retrying, never to corruption.
 */

export interface SyncClock {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const systemClock: SyncClock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

/** What a running job tells the queue about its push. */
export interface PushTurn {
  /** The push was rejected at `head`: the holder reserves the store. Returns the ms reserved. */
  reserve(head: number): number;
  /** The push was accepted: a reservation of its holder ends. */
  accepted(): void;
}

export interface PushTurns {
  /**
   * Queues `job` for `holder` (one connection) and runs it on its turn. Resolves true once it ran,
   * false if `release(holder)` dropped it first; rejects if the job threw.
   */
  run(holder: object, job: (turn: PushTurn) => Promise<void>): Promise<boolean>;
  /** The holder is gone: drop its queued jobs and its reservation. */
  release(holder: object): void;
  /** For tests and the hub: who holds the store, until when, how many jobs wait. */
  state(): { readonly holder: object | undefined; readonly deadline: number | undefined; readonly queued: number; readonly running: boolean };
}

interface Job {
  readonly holder: object;
  readonly fn: (turn: PushTurn) => Promise<void>;
  readonly done: (ran: boolean, err?: unknown) => void;
}

interface Reservation {
  readonly holder: object;
  readonly head: number;
  readonly deadline: number;
}

export function createPushTurns(options: { readonly clock: SyncClock; readonly reservationMs: number }): PushTurns {
  const { clock, reservationMs } = options;
  const queue: Job[] = [];
  let reservation: Reservation | undefined;
  let running = false;
  let cancelTimer: (() => void) | undefined;

  const expire = (): void => {
    if (reservation !== undefined && clock.now() >= reservation.deadline) reservation = undefined;
  };

  const next = (): Job | undefined => {
    expire();
    const index = reservation === undefined ? 0 : queue.findIndex((j) => j.holder === reservation?.holder);
    if (index < 0 || index >= queue.length) return undefined;
    return queue.splice(index, 1)[0];
  };

  const wake = (): void => {
    if (running) return;
    cancelTimer?.();
    cancelTimer = undefined;
    const job = next();
    if (job === undefined) {
      // Others wait for a holder that has not pushed yet: look again when its reservation lapses.
      if (reservation !== undefined && queue.length > 0) cancelTimer = clock.setTimer(wake, Math.max(0, reservation.deadline - clock.now()));
      return;
    }
    running = true;
    const turn: PushTurn = {
      reserve(head) {
        const now = clock.now();
        if (reservation?.holder === job.holder && reservation.head === head) return Math.max(0, reservation.deadline - now);
        reservation = { holder: job.holder, head, deadline: now + reservationMs };
        return reservationMs;
      },
      accepted() {
        if (reservation?.holder === job.holder) reservation = undefined;
      },
    };
    job.fn(turn).then(
      () => job.done(true),
      (err: unknown) => job.done(true, err),
    ).finally(() => {
      running = false;
      wake();
    });
  };

  return {
    run(holder, fn) {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ holder, fn, done: (ran, err) => (err === undefined ? resolve(ran) : reject(err)) });
        wake();
      });
    },
    release(holder) {
      for (let i = queue.length - 1; i >= 0; i--) {
        const job = queue[i];
        if (job?.holder === holder) {
          queue.splice(i, 1);
          job.done(false);
        }
      }
      if (reservation?.holder === holder) reservation = undefined;
      wake();
    },
    state: () => ({ holder: reservation?.holder, deadline: reservation?.deadline, queued: queue.length, running }),
  };
}
