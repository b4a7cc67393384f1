/**
 * The calling side of our small RPC (Comlink's idea, without proxies): `call` sends a request and
 * resolves with the result or rejects with the LsError that crossed as wire form; `notify` sends
 * a one-way note; `on` hears the events the server emits. `close(reason)` rejects every call in
 * flight, so a caller never waits on a peer that is gone (the web adapter calls it when the
 * leader's alive lock is released).
 */
import { LsError, isLsErrorWire } from '../core/errors.ts';
import type { Endpoint } from './endpoint.ts';
import { PROTOCOL_VERSION, type RpcMessage } from './protocol.ts';
import type { RpcArgs, RpcMethod, RpcResult } from './rpc-types.ts';
import { takeTransfers } from './transfer.ts';

interface Pending {
  readonly method: string;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export class RpcClient<A, E = Record<string, never>> {
  readonly #endpoint: Endpoint;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<string, Set<(data: never) => void>>();
  #nextId = 1;
  #closed: LsError | undefined;
  readonly #onMessage = (event: MessageEvent): void => this.#receive(event.data as RpcMessage);

  constructor(endpoint: Endpoint) {
    this.#endpoint = endpoint;
    endpoint.addEventListener('message', this.#onMessage);
    endpoint.start?.();
  }

  get isClosed(): boolean {
    return this.#closed !== undefined;
  }

  call<K extends RpcMethod<A>>(method: K, ...args: RpcArgs<A[K]>): Promise<RpcResult<A[K]>> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    return new Promise<RpcResult<A[K]>>((resolve, reject) => {
      this.#pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      const message: RpcMessage = { v: PROTOCOL_VERSION, t: 'req', id, method, args };
      try {
        this.#endpoint.postMessage(message, takeTransfers(args));
      } catch (err) {
        this.#pending.delete(id);
        reject(new LsError('LS_PROTOCOL_ERROR', `could not send ${method}: ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
      }
    });
  }

  notify<K extends RpcMethod<A>>(method: K, ...args: RpcArgs<A[K]>): void {
    if (this.#closed !== undefined) throw this.#closed;
    const message: RpcMessage = { v: PROTOCOL_VERSION, t: 'note', method, args };
    this.#endpoint.postMessage(message, takeTransfers(args));
  }

  on<K extends keyof E & string>(name: K, listener: (data: E[K]) => void): () => void {
    let set = this.#listeners.get(name);
    if (set === undefined) this.#listeners.set(name, (set = new Set()));
    set.add(listener as (data: never) => void);
    return () => set.delete(listener as (data: never) => void);
  }

  /** Stops listening and rejects every call in flight with `reason`. */
  close(reason: LsError = new LsError('LS_LEADER_UNAVAILABLE', 'The connection was closed.')): void {
    if (this.#closed !== undefined) return;
    this.#closed = reason;
    this.#endpoint.removeEventListener('message', this.#onMessage);
    this.#endpoint.close?.();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    this.#listeners.clear();
    for (const p of pending) p.reject(reason);
  }

  #receive(m: RpcMessage): void {
    if (typeof m !== 'object' || m === null || this.#closed !== undefined) return;
    if (m.t === 'evt') {
      if (m.v !== PROTOCOL_VERSION) return;
      for (const l of [...(this.#listeners.get(m.name) ?? [])]) l(m.data as never);
      return;
    }
    if (m.t !== 'res' && m.t !== 'err') return;
    const p = this.#pending.get(m.id);
    if (p === undefined) return;
    this.#pending.delete(m.id);
    if (m.t === 'err') {
      p.reject(isLsErrorWire(m.error) ? LsError.fromWire(m.error) : new LsError('LS_PROTOCOL_ERROR', `${p.method} failed with a malformed error`));
    } else if (m.v !== PROTOCOL_VERSION) {
      p.reject(new LsError('LS_PROTOCOL_VERSION', `${p.method}: the other side speaks protocol version ${m.v}, this one ${PROTOCOL_VERSION}; reload every tab of this site.`));
    } else {
      p.resolve(m.value);
    }
  }
}
