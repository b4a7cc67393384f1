/**
 * The serving side of our small RPC: answers requests on one Endpoint with `handlers`, sends
 * events with `emit`. Whatever a handler throws goes back as an LsError wire form; nothing is
 * thrown inside the message loop (a failing note goes to `onError`). Results marked with
 * `transfer(value, list)` are moved, not copied.
 */
import { LsError, toLsError } from '../core/errors.ts';
import type { Endpoint } from './endpoint.ts';
import { PROTOCOL_VERSION, type RpcMessage } from './protocol.ts';
import type { RpcHandlers } from './rpc-types.ts';
import { takeTransfers } from './transfer.ts';

export interface RpcServer<E> {
  emit<K extends keyof E & string>(name: K, data: E[K], transfer?: Transferable[]): void;
  close(): void;
  readonly isClosed: boolean;
}

export interface ServeOptions {
  /** Failures nobody awaits: a one-way note that threw, an event that could not be sent. */
  readonly onError?: (err: LsError) => void;
}

export function serveRpc<A, E = Record<string, never>>(endpoint: Endpoint, handlers: RpcHandlers<A>, options: ServeOptions = {}): RpcServer<E> {
  let closed = false;
  const table = handlers as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>;
  const post = (m: RpcMessage, transfer: Transferable[] = []): void => {
    if (!closed) endpoint.postMessage(m, transfer);
  };
  const fail = (id: number, err: unknown, method: string): void => {
    post({ v: PROTOCOL_VERSION, t: 'err', id, error: toLsError(err, 'LS_INTERNAL', `${method} failed`).toWire() });
  };

  const onMessage = (event: MessageEvent): void => {
    const m = event.data as RpcMessage;
    if (closed || typeof m !== 'object' || m === null || (m.t !== 'req' && m.t !== 'note')) return;
    const method = m.method;
    if (m.v !== PROTOCOL_VERSION) {
      const err = new LsError('LS_PROTOCOL_VERSION', `${method}: this side speaks protocol version ${PROTOCOL_VERSION}, the caller ${m.v}; reload every tab of this site.`);
      if (m.t === 'req') fail(m.id, err, method);
      else options.onError?.(err);
      return;
    }
    const handler = Object.hasOwn(table, method) ? table[method] : undefined;
    if (handler === undefined) {
      const err = new LsError('LS_PROTOCOL_ERROR', `unknown method '${method}'`);
      if (m.t === 'req') fail(m.id, err, method);
      else options.onError?.(err);
      return;
    }
    if (m.t === 'note') {
      void run(() => handler(...m.args)).catch((err: unknown) => options.onError?.(toLsError(err, 'LS_INTERNAL', `${method} failed`)));
      return;
    }
    const id = m.id;
    run(() => handler(...m.args)).then(
      (value) => {
        try {
          post({ v: PROTOCOL_VERSION, t: 'res', id, value }, takeTransfers([value]));
        } catch (err) {
          fail(id, err, method); // e.g. DataCloneError: the result could not be sent
        }
      },
      (err: unknown) => fail(id, err, method),
    );
  };

  endpoint.addEventListener('message', onMessage);
  endpoint.start?.();
  return {
    emit(name, data, transfer = []) {
      try {
        post({ v: PROTOCOL_VERSION, t: 'evt', name, data }, transfer);
      } catch (err) {
        options.onError?.(toLsError(err, 'LS_PROTOCOL_ERROR', `could not send event ${name}`));
      }
    },
    close() {
      if (closed) return;
      closed = true;
      endpoint.removeEventListener('message', onMessage);
      endpoint.close?.();
    },
    get isClosed() {
      return closed;
    },
  };
}

/** Runs fn, turning a synchronous throw into a rejection. */
function run(fn: () => unknown): Promise<unknown> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}
