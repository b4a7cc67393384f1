/**
 * Links from a session to the current leader worker, three ways (the connection picks one per
 * attempt, see web-adapter.ts):
 * - direct: this tab runs the leader; a MessageChannel to its own worker;
 * - switchboard: a MessageChannel whose far end the SharedWorker forwards to the leader;
 * - broadcast: no SharedWorker; an address pair on the store's BroadcastChannel.
 * Each link says which leader it reached (its alive lock) and `gone` resolves when that leader
 * dies: the shared-mode request for its alive lock is granted.
 */
import { nanoid } from 'nanoid';
import { LsError } from '../core/errors.ts';
import { createBroadcastEndpoint, type Endpoint } from '../rpc/endpoint.ts';
import { PROTOCOL_VERSION, type BroadcastMessage, type ConnectMessage } from '../rpc/protocol.ts';

export interface LeaderLink {
  readonly endpoint: Endpoint;
  readonly aliveLock: string;
  /** Resolves when the leader behind this link is gone. */
  readonly gone: Promise<void>;
  /** Stops watching the leader and closes the endpoint. */
  dispose(): void;
}

/** Resolves when the lock `name` is free (its holder is gone); never, once `signal` aborts. */
export function lockReleased(name: string, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    navigator.locks.request(name, { mode: 'shared', signal }, () => resolve()).catch(() => {});
  });
}

export function makeLink(endpoint: Endpoint, aliveLock: string): LeaderLink {
  const watch = new AbortController();
  return {
    endpoint,
    aliveLock,
    gone: lockReleased(aliveLock, watch.signal),
    dispose() {
      watch.abort();
      endpoint.close?.();
    },
  };
}

/** A link to a leader worker this tab spawned. */
export function directLink(worker: Worker, aliveLock: string): LeaderLink {
  const { port1, port2 } = new MessageChannel();
  const connect: ConnectMessage = { t: 'connect', port: port2 };
  worker.postMessage(connect, [port2]);
  return makeLink(port1, aliveLock);
}

/** A link over the store's BroadcastChannel: asks who leads (again whenever a leader announces itself). */
export function broadcastLink(channelName: string, sessionId: string, signal: AbortSignal): Promise<LeaderLink> {
  const channel = new BroadcastChannel(channelName);
  const self = `session:${sessionId}:${nanoid(6)}`;
  return new Promise<LeaderLink>((resolve, reject) => {
    const find = (): void => {
      const m: BroadcastMessage = { t: 'find', v: PROTOCOL_VERSION, from: self };
      channel.postMessage(m);
    };
    const onMessage = (e: MessageEvent): void => {
      const m = e.data as BroadcastMessage;
      if (m.t === 'leader-ready' && m.v === PROTOCOL_VERSION) find();
      else if (m.t === 'here' && m.v === PROTOCOL_VERSION && m.to === self) {
        channel.removeEventListener('message', onMessage);
        const endpoint = createBroadcastEndpoint(channel, self, m.from);
        const close = endpoint.close?.bind(endpoint);
        resolve(makeLink({ ...endpoint, close: () => { close?.(); channel.close(); } }, m.aliveLock));
      }
    };
    channel.addEventListener('message', onMessage);
    signal.addEventListener('abort', () => {
      channel.close();
      reject(new LsError('LS_STORE_SHUTDOWN', 'The store was shut down while connecting to its leader.'));
    }, { once: true });
    find();
  });
}
