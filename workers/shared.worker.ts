/**
 * The switchboard: one SharedWorker per origin that only brokers MessagePorts. A leader worker's
 * tab registers a control port per store; a session sends the port it wants connected, which is
 * forwarded over the control port (queued while the store has no leader), and the session hears
 * which leader got it (`aliveLock`) so it can tell when that leader dies. The switchboard itself
 * requests each leader's alive lock in shared mode: granted means the leader is gone, so it stops
 * routing there. It holds a lock of its own, named in its `hello` to each tab: a SharedWorker dies
 * with the renderer hosting it, and tabs then start a new one and register again. No SQLite, no
 * sync, no state but ports.
 */
import { LsError } from '../src/core/errors.ts';
import { PROTOCOL_VERSION, type ConnectMessage, type SwitchboardReply, type SwitchboardRequest } from '../src/rpc/protocol.ts';

interface Leader {
  readonly control: MessagePort;
  readonly aliveLock: string;
}
interface Waiting {
  readonly tab: MessagePort;
  readonly requestId: string;
  readonly port: MessagePort;
}

const leaders = new Map<string, Leader>();
const waiting = new Map<string, Waiting[]>();

function route(leader: Leader, w: Waiting): void {
  const connect: ConnectMessage = { t: 'connect', port: w.port };
  leader.control.postMessage(connect, [w.port]);
  const reply: SwitchboardReply = { t: 'routed', requestId: w.requestId, aliveLock: leader.aliveLock };
  w.tab.postMessage(reply);
}

function handle(tab: MessagePort, m: SwitchboardRequest): void {
  if (m.v !== PROTOCOL_VERSION) {
    if (m.t === 'connect') {
      const error = new LsError('LS_PROTOCOL_VERSION', `The switchboard speaks protocol ${PROTOCOL_VERSION}, this tab ${m.v}: close every tab of this site and reopen.`).toWire();
      const reply: SwitchboardReply = { t: 'refused', requestId: m.requestId, error };
      tab.postMessage(reply);
    }
    return;
  }
  if (m.t === 'register') {
    const leader: Leader = { control: m.control, aliveLock: m.aliveLock };
    leaders.set(m.storeId, leader);
    void navigator.locks.request(m.aliveLock, { mode: 'shared' }, () => {
      if (leaders.get(m.storeId) === leader) leaders.delete(m.storeId);
    });
    for (const w of waiting.get(m.storeId)?.splice(0) ?? []) route(leader, w);
  } else if (m.t === 'connect') {
    const w: Waiting = { tab, requestId: m.requestId, port: m.port };
    const leader = leaders.get(m.storeId);
    if (leader !== undefined) route(leader, w);
    else {
      const list = waiting.get(m.storeId) ?? [];
      list.push(w);
      waiting.set(m.storeId, list);
    }
  }
}

// Held while this switchboard runs; tabs watch it (see SwitchboardReply 'hello').
const lock = `ls:switchboard:${Math.random().toString(36).slice(2)}`;
const holding = new Promise<void>((resolve) => {
  void navigator.locks.request(lock, () => {
    resolve();
    return new Promise<never>(() => {});
  });
});

(self as unknown as { onconnect: (e: MessageEvent) => void }).onconnect = (e) => {
  const tab = e.ports[0];
  if (tab === undefined) return;
  tab.onmessage = (ev: MessageEvent) => handle(tab, ev.data as SwitchboardRequest);
  void holding.then(() => {
    const hello: SwitchboardReply = { t: 'hello', lock };
    tab.postMessage(hello);
  });
};
