/**
 * `Endpoint`: the one transport interface RPC runs over. A MessagePort, a dedicated Worker or a
 * SharedWorker's port already is one; `createBroadcastEndpoint` makes one out of two addresses
 * on a BroadcastChannel, for browsers without SharedWorker (there is no port to transfer there,
 * so transfer lists are ignored and the data is copied).
 */
import type { BroadcastMessage } from './protocol.ts';

export interface Endpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  /** MessagePorts deliver nothing before start() when used with addEventListener. */
  start?(): void;
  close?(): void;
}

/** What a BroadcastChannel offers (also a fake in tests). */
export interface BroadcastLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/**
 * An Endpoint between address `self` and address `peer` on a shared channel: it sends envelopes
 * addressed to `peer` and delivers only envelopes from `peer` to `self`.
 */
export function createBroadcastEndpoint(channel: BroadcastLike, self: string, peer: string): Endpoint {
  const listeners = new Map<(event: MessageEvent) => void, (event: MessageEvent) => void>();
  let closed = false;
  return {
    postMessage(data) {
      if (closed) return;
      const envelope: BroadcastMessage = { t: 'rpc', to: peer, from: self, data };
      channel.postMessage(envelope);
    },
    addEventListener(_type, listener) {
      const filter = (event: MessageEvent): void => {
        const m = event.data as BroadcastMessage | undefined;
        if (closed || m?.t !== 'rpc' || m.to !== self || m.from !== peer) return;
        listener(new MessageEvent('message', { data: m.data }));
      };
      listeners.set(listener, filter);
      channel.addEventListener('message', filter);
    },
    removeEventListener(_type, listener) {
      const filter = listeners.get(listener);
      if (filter === undefined) return;
      listeners.delete(listener);
      channel.removeEventListener('message', filter);
    },
    close() {
      closed = true;
      for (const filter of listeners.values()) channel.removeEventListener('message', filter);
      listeners.clear();
    },
  };
}
