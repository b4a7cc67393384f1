/**
 * Leader election for one store in this tab: one Web Lock per store, requested by every tab and
 * never stolen, so exactly one tab holds it even when several boot at the same instant. The holder
 * spawns the leader worker, waits for `ready`, and registers the worker with the switchboard. When
 * the holder closes or crashes, the lock passes to the next waiting tab, which does the same.
 *
 * A worker that fails to start (typically: the dead leader's OPFS handles are not released yet)
 * is terminated and a new one spawned after a growing pause; after MAX_ATTEMPTS the tab gives up,
 * releases the lock (another tab may do better) and reports the error to whoever waits.
 * A worker that dies later (its alive lock is released) is replaced the same way, and so is one
 * that dies while it starts: once it reports `started` (it holds its alive lock) the tab watches
 * that lock, and a worker that never gets that far within START_TIMEOUT_MS counts as failed.
 */
import { nanoid } from 'nanoid';
import { LsError } from '../core/errors.ts';
import type { LeaderWorkerInit, LeaderWorkerReport, ShutdownMessage, StorageKindWire } from '../rpc/protocol.ts';
import { directLink, lockReleased, type LeaderLink } from './web-adapter-links.ts';
import type { SwitchboardClient } from './web-adapter-switchboard.ts';

export interface ElectionOptions {
  readonly storeId: string;
  readonly lockName: string;
  readonly spawn: () => Worker;
  /** The init message for a new worker, given its alive and tab locks. */
  readonly init: (locks: { readonly aliveLock: string; readonly tabLock: string }) => LeaderWorkerInit;
  readonly switchboard?: SwitchboardClient;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string, data?: unknown) => void;
}

interface Running {
  readonly worker: Worker;
  readonly aliveLock: string;
  readonly storage: StorageKindWire;
}

const MAX_ATTEMPTS = 8;
/** A worker that has not taken its alive lock by then is taken for dead (it never ran, or crashed first). */
const START_TIMEOUT_MS = 30_000;

export class LeaderElection {
  readonly #o: ElectionOptions;
  readonly #stop = new AbortController();
  #isLeader = false;
  #running: Running | undefined;
  #readyWaiters: { resolve: (r: Running) => void; reject: (e: LsError) => void }[] = [];
  #failure: LsError | undefined;
  #leading: Promise<void> | undefined;

  constructor(options: ElectionOptions) {
    this.#o = options;
  }

  get isLeader(): boolean {
    return this.#isLeader;
  }

  /** Resolves once it is known whether this tab leads now; if not, it keeps waiting for the lock. */
  start(): Promise<void> {
    return new Promise<void>((decided) => {
      navigator.locks.request(this.#o.lockName, { ifAvailable: true }, async (lock) => {
        decided();
        if (lock !== null) return (this.#leading = this.#lead());
        navigator.locks.request(this.#o.lockName, { signal: this.#stop.signal }, () => (this.#leading = this.#lead())).catch(() => {});
        return undefined;
      }).catch(() => decided());
    });
  }

  /** A link to this tab's own worker once it is ready; undefined when this tab does not lead. */
  async ownLink(): Promise<LeaderLink | undefined> {
    if (!this.#isLeader) return undefined;
    const r = this.#running ?? (await new Promise<Running>((resolve, reject) => this.#readyWaiters.push({ resolve, reject })));
    return directLink(r.worker, r.aliveLock);
  }

  /** Gives up leadership: the worker closes its databases and exits, the lock goes to the next tab. */
  async close(): Promise<void> {
    this.#stop.abort();
    for (const w of this.#readyWaiters.splice(0)) w.reject(new LsError('LS_STORE_SHUTDOWN', 'The store was shut down.'));
    await this.#leading;
  }

  async #lead(): Promise<void> {
    if (this.#stop.signal.aborted) return;
    this.#isLeader = true;
    const stopped = new Promise<void>((resolve) => this.#stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    try {
      for (let attempt = 1; !this.#stop.signal.aborted; ) {
        const nonce = nanoid(10);
        const aliveLock = `ls:leader-alive:${this.#o.storeId}:${nonce}`;
        const tabLock = `ls:leader-tab:${this.#o.storeId}:${nonce}`;
        const releaseTabLock = await holdLock(tabLock);
        const worker = this.#o.spawn();
        const outcome = await Promise.race([this.#boot(worker, { aliveLock, tabLock }), stopped.then(() => undefined)]);
        if (outcome === undefined) {
          await this.#retire(worker, aliveLock, releaseTabLock);
          return;
        }
        if (outcome.t === 'failed') {
          worker.terminate();
          releaseTabLock();
          if (!outcome.retry || attempt >= MAX_ATTEMPTS) {
            this.#fail(outcome.error);
            return;
          }
          this.#o.log?.('warn', `leader worker failed to start (attempt ${attempt}), retrying: ${outcome.error.message}`);
          await Promise.race([pause(Math.min(2000, 100 * 2 ** (attempt - 1))), stopped]);
          attempt++;
          continue;
        }
        attempt = 1;
        this.#o.log?.('info', 'leader worker ready');
        const running: Running = { worker, aliveLock, storage: outcome.storage };
        this.#running = running;
        for (const w of this.#readyWaiters.splice(0)) w.resolve(running);
        const watch = new AbortController();
        const died = lockReleased(aliveLock, watch.signal).then(() => 'died' as const);
        const why = await Promise.race([died, stopped.then(() => 'stopped' as const)]);
        watch.abort();
        this.#running = undefined;
        if (why === 'stopped') {
          await this.#retire(worker, aliveLock, releaseTabLock);
          return;
        }
        this.#o.switchboard?.unregister(aliveLock);
        worker.terminate();
        releaseTabLock();
        this.#o.log?.('warn', 'the leader worker died; starting a new one');
      }
    } finally {
      this.#isLeader = false;
      this.#running = undefined;
    }
  }

  /** Spawns and initializes a worker; registers it with the switchboard once ready. */
  #boot(worker: Worker, locks: { readonly aliveLock: string; readonly tabLock: string }): Promise<{ t: 'ready'; storage: StorageKindWire } | { t: 'failed'; error: LsError; retry: boolean }> {
    // Worker.terminate() and a crash fire no event: a worker that dies while starting is noticed
    // by its alive lock (once it holds it), or by the start timeout (if it never got that far).
    const watch = new AbortController();
    return new Promise<{ t: 'ready'; storage: StorageKindWire } | { t: 'failed'; error: LsError; retry: boolean }>((resolve) => {
      const died = (why: string): void => resolve({ t: 'failed', error: new LsError('LS_LEADER_UNAVAILABLE', why), retry: true });
      const timer = setTimeout(() => died(`The leader worker did not start within ${START_TIMEOUT_MS / 1000} s.`), START_TIMEOUT_MS);
      watch.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
      worker.addEventListener('message', (e: MessageEvent) => {
        const m = e.data as LeaderWorkerReport;
        if (m.t === 'log') this.#o.log?.(m.level, `[leader] ${m.message}`);
        else if (m.t === 'started') {
          clearTimeout(timer);
          void lockReleased(locks.aliveLock, watch.signal).then(() => died('The leader worker died while starting.'));
        } else if (m.t === 'failed') resolve({ t: 'failed', error: LsError.fromWire(m.error), retry: m.retry });
        else if (m.t === 'ready') {
          this.#o.switchboard?.register(this.#o.storeId, locks.aliveLock, worker);
          resolve({ t: 'ready', storage: m.storage });
        }
      });
      worker.addEventListener('error', (e: ErrorEvent) => {
        resolve({ t: 'failed', error: new LsError('LS_STORAGE_ERROR', `The leader worker could not run: ${e.message || 'script error (is the worker file served?)'}`), retry: true });
      });
      worker.postMessage(this.#o.init(locks));
    }).finally(() => watch.abort());
  }

  /** Asks the worker to close its databases and exit; terminates it if it does not within a second. */
  async #retire(worker: Worker, aliveLock: string, releaseTabLock: () => void): Promise<void> {
    this.#o.switchboard?.unregister(aliveLock);
    const shutdown: ShutdownMessage = { t: 'shutdown' };
    worker.postMessage(shutdown);
    releaseTabLock();
    const watch = new AbortController();
    await Promise.race([lockReleased(aliveLock, watch.signal), pause(1000)]);
    watch.abort();
    worker.terminate();
  }

  #fail(error: LsError): void {
    this.#failure = error;
    this.#o.log?.('error', `the leader could not start: ${error.message}`);
    for (const w of this.#readyWaiters.splice(0)) w.reject(error);
  }

  get failure(): LsError | undefined {
    return this.#failure;
  }
}

/** Takes the lock `name`; resolves with the function that releases it. */
function holdLock(name: string): Promise<() => void> {
  return new Promise((resolve) => {
    navigator.locks.request(name, () => new Promise<void>((release) => resolve(release))).catch(() => resolve(() => {}));
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
