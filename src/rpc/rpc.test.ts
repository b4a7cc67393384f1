import { expect } from 'chai';
import { LsError } from '../core/errors.ts';
import { createBroadcastEndpoint } from './endpoint.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { RpcClient } from './rpc-client.ts';
import { serveRpc } from './rpc-server.ts';
import { transfer } from './transfer.ts';

interface TestApi {
  add(a: number, b: number): number;
  slow(ms: number): Promise<string>;
  fail(kind: 'ls' | 'plain'): void;
  bytes(n: number): Uint8Array;
  sizeOf(b: Uint8Array): number;
  record(x: string): void;
}
interface TestEvents {
  tick: number;
}

function pair(onError?: (err: LsError) => void) {
  const { port1, port2 } = new MessageChannel();
  const seen: string[] = [];
  const server = serveRpc<TestApi, TestEvents>(port2, {
    add: (a, b) => a + b,
    slow: (ms) => new Promise((r) => setTimeout(() => r(`after ${ms}`), ms)),
    fail: (kind) => {
      if (kind === 'ls') throw new LsError('LS_INVALID_ARGUMENT', 'bad argument', { details: { arg: 'x' } });
      throw new TypeError('plain failure');
    },
    bytes: (n) => {
      const b = new Uint8Array(n).fill(7);
      return transfer(b, [b.buffer]);
    },
    sizeOf: (b) => b.byteLength,
    record: (x) => {
      if (x === 'boom') throw new Error('note failed');
      seen.push(x);
    },
  }, onError === undefined ? {} : { onError });
  const client = new RpcClient<TestApi, TestEvents>(port1);
  return { client, server, seen, port1 };
}

async function rejection(p: Promise<unknown>): Promise<LsError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(LsError);
    return err as LsError;
  }
  throw new Error('expected a rejection');
}

describe('rpc over a MessagePort', () => {
  it('resolves a call with the result of a synchronous or asynchronous handler', async () => {
    const { client } = pair();
    expect(await client.call('add', 2, 3)).to.equal(5);
    expect(await client.call('slow', 5)).to.equal('after 5');
  });

  it('rejects with the LsError the handler threw, code, message and details intact', async () => {
    const { client } = pair();
    const err = await rejection(client.call('fail', 'ls'));
    expect(err.code).to.equal('LS_INVALID_ARGUMENT');
    expect(err.message).to.equal('bad argument');
    expect(err.details).to.deep.equal({ arg: 'x' });
  });

  it('wraps any other thrown error as LS_INTERNAL that names the method and keeps the message', async () => {
    const { client } = pair();
    const err = await rejection(client.call('fail', 'plain'));
    expect(err.code).to.equal('LS_INTERNAL');
    expect(err.message).to.contain('fail failed').and.contain('plain failure');
  });

  it('moves a result marked with transfer instead of copying it', async () => {
    const { client } = pair();
    const b = await client.call('bytes', 16);
    expect(b.byteLength).to.equal(16);
    expect(b[3]).to.equal(7);
  });

  it('moves an argument marked with transfer, detaching it on the sending side', async () => {
    const { client } = pair();
    const b = new Uint8Array(32);
    const n = await client.call('sizeOf', transfer(b, [b.buffer]));
    expect(n).to.equal(32);
    expect(b.byteLength).to.equal(0);
  });

  it('rejects a call of an unknown method with LS_PROTOCOL_ERROR', async () => {
    const { client } = pair();
    const err = await rejection((client as unknown as RpcClient<{ nope(): void }>).call('nope'));
    expect(err.code).to.equal('LS_PROTOCOL_ERROR');
  });

  it('answers a request of another protocol version with LS_PROTOCOL_VERSION', async () => {
    const { port1 } = pair();
    const reply = new Promise<{ t: string; error: { code: string } }>((resolve) => {
      port1.addEventListener('message', (e) => resolve(e.data as never));
    });
    port1.postMessage({ v: PROTOCOL_VERSION + 1, t: 'req', id: 1, method: 'add', args: [1, 2] });
    const m = await reply;
    expect(m.t).to.equal('err');
    expect(m.error.code).to.equal('LS_PROTOCOL_VERSION');
  });

  it('rejects calls in flight with the reason given to close', async () => {
    const { client } = pair();
    const call = client.call('slow', 50);
    client.close(new LsError('LS_LEADER_UNAVAILABLE', 'leader gone'));
    const err = await rejection(call);
    expect(err.code).to.equal('LS_LEADER_UNAVAILABLE');
    expect((await rejection(client.call('add', 1, 1))).message).to.equal('leader gone');
  });

  it('delivers events in order, after a result sent before them', async () => {
    const { client, server } = pair();
    const order: string[] = [];
    client.on('tick', (n) => order.push(`tick ${n}`));
    const result = client.call('add', 1, 1).then((v) => order.push(`result ${v}`));
    await new Promise((r) => setTimeout(r, 10));
    server.emit('tick', 1);
    server.emit('tick', 2);
    await result;
    await new Promise((r) => setTimeout(r, 10));
    expect(order).to.deep.equal(['result 2', 'tick 1', 'tick 2']);
  });

  it('runs one-way notes in order and reports a failing note to onError, not to the caller', async () => {
    const errors: LsError[] = [];
    const { client, seen } = pair((e) => errors.push(e));
    client.notify('record', 'a');
    client.notify('record', 'boom');
    client.notify('record', 'b');
    await client.call('add', 0, 0);
    expect(seen).to.deep.equal(['a', 'b']);
    expect(errors.map((e) => e.message)).to.deep.equal(['record failed: note failed']);
  });
});

describe('rpc over a BroadcastChannel address pair', () => {
  it('talks only between its two addresses on a shared channel', async () => {
    const name = `rpc-test-${Math.random()}`;
    const leaderSide = new BroadcastChannel(name);
    const a = new BroadcastChannel(name);
    const b = new BroadcastChannel(name);
    serveRpc<Pick<TestApi, 'add'>>(createBroadcastEndpoint(leaderSide, 'leader', 'tab-a'), { add: (x, y) => x + y });
    serveRpc<Pick<TestApi, 'add'>>(createBroadcastEndpoint(leaderSide, 'leader', 'tab-b'), { add: (x, y) => x * y });
    const ca = new RpcClient<Pick<TestApi, 'add'>>(createBroadcastEndpoint(a, 'tab-a', 'leader'));
    const cb = new RpcClient<Pick<TestApi, 'add'>>(createBroadcastEndpoint(b, 'tab-b', 'leader'));
    expect(await Promise.all([ca.call('add', 3, 4), cb.call('add', 3, 4)])).to.deep.equal([7, 12]);
    for (const c of [leaderSide, a, b]) c.close();
  });
});
