/**
 * The push queue's rules (push-turns.ts) on a manual clock: FIFO, reservation after a rejection,
 * lapse at the deadline, release on disconnect, no renewal by stale pushes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPushTurns } from './push-turns.ts';
import type { PushTurn } from './push-turns.ts';
import { manualClockForTesting } from './sync-client-testing.ts';

const R = 1000;

function setup() {
  const clock = manualClockForTesting();
  const turns = createPushTurns({ clock, reservationMs: R });
  const ran: string[] = [];
  /** Queues a job that records `name` and then does `then` with its turn. */
  const job = (holder: object, name: string, then: (t: PushTurn) => void = () => {}) =>
    turns.run(holder, async (t) => {
      ran.push(name);
      then(t);
    });
  return { clock, turns, ran, job };
}

/** Lets queued jobs run (each job settles within a few microtask turns). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('push turns', () => {
  it('runs the jobs of a store one at a time, in the order they were queued', async () => {
    const { turns, ran } = setup();
    const a = {};
    const b = {};
    let active = 0;
    let most = 0;
    const work = (name: string) => async () => {
      active++;
      most = Math.max(most, active);
      await settle();
      ran.push(name);
      active--;
    };
    await Promise.all([turns.run(a, work('a1')), turns.run(b, work('b1')), turns.run(a, work('a2'))]);
    assert.deepStrictEqual(ran, ['a1', 'b1', 'a2']);
    assert.equal(most, 1);
  });

  it('after a rejection runs only the holder\'s jobs, the others waiting until it is accepted', async () => {
    const { job, ran } = setup();
    const holder = {};
    const other = {};
    await job(holder, 'rejected', (t) => t.reserve(5));
    const waiting = job(other, 'other');
    await settle();
    assert.deepStrictEqual(ran, ['rejected']);
    await job(holder, 'rebased', (t) => t.accepted());
    await waiting;
    assert.deepStrictEqual(ran, ['rejected', 'rebased', 'other']);
  });

  it('lets the others run once the reservation lapsed at its deadline', async () => {
    const { job, ran, clock } = setup();
    const holder = {};
    await job(holder, 'rejected', (t) => assert.equal(t.reserve(5), R));
    const waiting = job({}, 'other');
    clock.advance(R - 1);
    await settle();
    assert.deepStrictEqual(ran, ['rejected']);
    clock.advance(1);
    await waiting;
    assert.deepStrictEqual(ran, ['rejected', 'other']);
  });

  it('drops a released holder\'s queued jobs and its reservation at once', async () => {
    const { job, ran, turns } = setup();
    const holder = {};
    await job(holder, 'rejected', (t) => t.reserve(5));
    const waiting = job({}, 'other');
    turns.release(holder);
    await waiting;
    assert.deepStrictEqual(ran, ['rejected', 'other']);
    assert.equal(turns.state().holder, undefined);
  });

  it('resolves false for jobs dropped by release before they ran', async () => {
    const { job, turns } = setup();
    const holder = {};
    await job({}, 'first', (t) => t.reserve(1));
    const dropped = job(holder, 'never');
    turns.release(holder);
    assert.equal(await dropped, false);
  });

  it('keeps the first deadline when the holder is rejected again at the same head', async () => {
    const { job, clock, turns } = setup();
    const holder = {};
    await job(holder, 'rejected', (t) => t.reserve(5));
    clock.advance(400);
    let second = -1;
    await job(holder, 'stale', (t) => { second = t.reserve(5); });
    assert.equal(second, R - 400);
    assert.equal(turns.state().deadline, R);
  });

  it('gives a fresh reservation when the holder is rejected at a new head', async () => {
    const { job, clock, turns } = setup();
    const holder = {};
    await job(holder, 'rejected', (t) => t.reserve(5));
    clock.advance(400);
    await job(holder, 'again', (t) => assert.equal(t.reserve(6), R));
    assert.equal(turns.state().deadline, 400 + R);
  });
});
