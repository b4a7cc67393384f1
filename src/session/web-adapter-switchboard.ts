/**
 * This page's client of the switchboard (workers/shared.worker.ts, one SharedWorker per origin).
 *
 * - `register(storeId, aliveLock, worker)`: this tab leads the store; a new MessageChannel joins
 *   the worker (as a control port) and the switchboard, which forwards sessions' ports over it.
 * - `link(storeId)`: a MessageChannel whose far end the switchboard forwards to the store's
 *   leader (it queues the request while there is none); resolves once routed.
 *
 * Restart: a SharedWorker runs inside some tab's renderer and dies with it when that tab crashes.
 * The switchboard holds a lock named in its `hello`; when the lock is released this client starts
 * a new SharedWorker, registers its leaders again (fresh control ports), and rejects the links in
 * flight with LS_LEADER_UNAVAILABLE, which the connection retries.
 *
 * A switchboard that never starts (its script fails to load: a bad URL, a bundler that inlined it
 * as a data: URL, a CSP) fires `error` on the SharedWorker, or never says hello: the client then
 * reports itself unavailable, rejects the links in flight, and the adapter reaches leaders over
 * BroadcastChannel instead (every leader listens there too).
 */
import { nanoid } from 'nanoid';
import { LsError } from '../core/errors.ts';
import { PROTOCOL_VERSION, type ControlMessage, type SwitchboardReply, type SwitchboardRequest } from '../rpc/protocol.ts';
import { lockReleased, makeLink, type LeaderLink } from './web-adapter-links.ts';

interface Registration {
  readonly storeId: string;
  readonly worker: Worker;
}

export class SwitchboardClient {
  readonly #create: () => SharedWorker;
  #port!: MessagePort;
  readonly #registrations = new Map<string, Registration>();
  readonly #waiting = new Map<string, { resolve: (aliveLock: string) => void; reject: (err: LsError) => void }>();
  /** Switchboards started by this page (tests, devtools). */
  starts = 0;
  #failure: LsError | undefined;
  readonly #log: ((level: 'info' | 'warn' | 'error', message: string) => void) | undefined;

  constructor(create: () => SharedWorker, log?: (level: 'info' | 'warn' | 'error', message: string) => void) {
    this.#create = create;
    this.#log = log;
    this.#start();
  }

  /** False once the switchboard failed to start: use BroadcastChannel to reach leaders. */
  get available(): boolean {
    return this.#failure === undefined;
  }

  #start(): void {
    this.starts++;
    let worker: SharedWorker;
    try {
      worker = this.#create();
    } catch (err) {
      this.#fail(`the SharedWorker could not be created (${err instanceof Error ? err.message : String(err)})`);
      return;
    }
    const port = worker.port;
    this.#port = port;
    let watching = false;
    worker.addEventListener('error', () => {
      if (this.#port === port && !watching) this.#fail('its script did not load');
    });
    const silent = setTimeout(() => {
      if (this.#port === port && !watching) this.#fail(`it did not answer within ${HELLO_TIMEOUT_MS / 1000} s`);
    }, HELLO_TIMEOUT_MS);
    port.onmessage = (e: MessageEvent) => {
      const m = e.data as SwitchboardReply;
      if (m.t === 'hello') {
        if (watching) return;
        watching = true;
        clearTimeout(silent);
        void lockReleased(m.lock, new AbortController().signal).then(() => {
          if (this.#port === port) this.#restart();
        });
        return;
      }
      const w = this.#waiting.get(m.requestId);
      if (w === undefined) return;
      this.#waiting.delete(m.requestId);
      if (m.t === 'routed') w.resolve(m.aliveLock);
      else w.reject(LsError.fromWire(m.error));
    };
  }

  #fail(why: string): void {
    if (this.#failure !== undefined) return;
    this.#failure = new LsError('LS_LEADER_UNAVAILABLE', `The SharedWorker switchboard did not start: ${why}. Tabs reach the leader over BroadcastChannel instead.`);
    this.#log?.('warn', this.#failure.message);
    for (const w of [...this.#waiting.values()]) w.reject(this.#failure);
    this.#waiting.clear();
  }

  #restart(): void {
    if (this.#failure !== undefined) return;
    this.#port.close();
    const gone = new LsError('LS_LEADER_UNAVAILABLE', 'The switchboard stopped (its tab crashed); connecting again through a new one.');
    for (const w of [...this.#waiting.values()]) w.reject(gone);
    this.#waiting.clear();
    this.#start();
    for (const [aliveLock, r] of this.#registrations) this.#sendRegister(r.storeId, aliveLock, r.worker);
  }

  register(storeId: string, aliveLock: string, worker: Worker): void {
    if (this.#failure !== undefined) return; // sessions find this leader over BroadcastChannel
    this.#registrations.set(aliveLock, { storeId, worker });
    this.#sendRegister(storeId, aliveLock, worker);
  }

  unregister(aliveLock: string): void {
    this.#registrations.delete(aliveLock);
  }

  #sendRegister(storeId: string, aliveLock: string, worker: Worker): void {
    const { port1, port2 } = new MessageChannel();
    const control: ControlMessage = { t: 'control', port: port1 };
    worker.postMessage(control, [port1]);
    const m: SwitchboardRequest = { t: 'register', v: PROTOCOL_VERSION, storeId, aliveLock, control: port2 };
    this.#port.postMessage(m, [port2]);
  }

  /** A link to the store's leader; waits (in the switchboard) while there is none. */
  async link(storeId: string, signal: AbortSignal): Promise<LeaderLink> {
    if (this.#failure !== undefined) throw this.#failure;
    const { port1, port2 } = new MessageChannel();
    const requestId = nanoid(10);
    const routed = new Promise<string>((resolve, reject) => {
      this.#waiting.set(requestId, { resolve, reject });
      signal.addEventListener('abort', () => {
        this.#waiting.delete(requestId);
        reject(new LsError('LS_STORE_SHUTDOWN', 'The store was shut down while connecting to its leader.'));
      }, { once: true });
    });
    const m: SwitchboardRequest = { t: 'connect', v: PROTOCOL_VERSION, storeId, requestId, port: port2 };
    this.#port.postMessage(m, [port2]);
    try {
      return makeLink(port1, await routed);
    } catch (err) {
      port1.close();
      throw err;
    }
  }
}

/** A switchboard that has not said hello by then is taken as failed to start. */
const HELLO_TIMEOUT_MS = 10_000;

let shared: SwitchboardClient | undefined;

/** The page's switchboard client, created on first use. */
export function switchboardClient(create: () => SharedWorker, log?: (level: 'info' | 'warn' | 'error', message: string) => void): SwitchboardClient {
  shared ??= new SwitchboardClient(create, log);
  return shared;
}
