import { expect } from 'chai';
import { deepEqual } from './deep-equal.ts';

describe('deepEqual', () => {
  it('compares primitives with Object.is, so NaN equals NaN and 0 differs from -0', () => {
    expect(deepEqual(1, 1)).to.equal(true);
    expect(deepEqual('a', 'a')).to.equal(true);
    expect(deepEqual(null, null)).to.equal(true);
    expect(deepEqual(Number.NaN, Number.NaN)).to.equal(true);
    expect(deepEqual(0, -0)).to.equal(false);
    expect(deepEqual(1, '1')).to.equal(false);
    expect(deepEqual(null, undefined)).to.equal(false);
    expect(deepEqual(10n, 10n)).to.equal(true);
  });

  it('treats two query results with the same rows as equal', () => {
    const rows = () => [
      { id: 'a', text: 'milk', completed: 0, deletedAt: null },
      { id: 'b', text: 'eggs', completed: 1, deletedAt: null },
    ];
    expect(deepEqual(rows(), rows())).to.equal(true);
  });

  it('sees a change in one column of one row', () => {
    const a = [{ id: 'a', completed: 0 }, { id: 'b', completed: 0 }];
    const b = [{ id: 'a', completed: 0 }, { id: 'b', completed: 1 }];
    expect(deepEqual(a, b)).to.equal(false);
  });

  it('sees a different row count and a different row order', () => {
    expect(deepEqual([{ id: 1 }], [{ id: 1 }, { id: 2 }])).to.equal(false);
    expect(deepEqual([{ id: 1 }, { id: 2 }], [{ id: 2 }, { id: 1 }])).to.equal(false);
  });

  it('ignores key order but not a missing key, even one whose value is undefined', () => {
    expect(deepEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).to.equal(true);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).to.equal(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).to.equal(false);
    expect(deepEqual({ a: 1, b: undefined }, { a: 1, c: undefined })).to.equal(false);
  });

  it('compares nested JSON values structurally', () => {
    const a = { tags: ['x', 'y'], meta: { n: 1, deep: [{ ok: true }] } };
    expect(deepEqual(a, structuredClone(a))).to.equal(true);
    expect(deepEqual(a, { tags: ['x', 'y'], meta: { n: 1, deep: [{ ok: false }] } })).to.equal(false);
  });

  it('does not confuse an array with an object that has the same indexes', () => {
    expect(deepEqual([1, 2], { 0: 1, 1: 2 })).to.equal(false);
    expect(deepEqual({ 0: 1, 1: 2 }, [1, 2])).to.equal(false);
  });

  it('compares Uint8Array blobs byte by byte, including views at an offset', () => {
    expect(deepEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).to.equal(true);
    expect(deepEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).to.equal(false);
    expect(deepEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).to.equal(false);
    const view = new Uint8Array(new Uint8Array([9, 1, 2, 3]).buffer, 1, 3);
    expect(deepEqual(view, new Uint8Array([1, 2, 3]))).to.equal(true);
    expect(deepEqual([{ blob: new Uint8Array([7]) }], [{ blob: new Uint8Array([7]) }])).to.equal(true);
  });

  it('does not equate typed arrays of different kinds with the same bytes', () => {
    expect(deepEqual(new Uint8Array([0, 0, 0, 0]), new Int32Array([0]))).to.equal(false);
  });

  it('compares Dates by their time', () => {
    expect(deepEqual(new Date(1000), new Date(1000))).to.equal(true);
    expect(deepEqual(new Date(1000), new Date(1001))).to.equal(false);
    expect(deepEqual(new Date(Number.NaN), new Date(Number.NaN))).to.equal(true);
    expect(deepEqual(new Date(0), 0)).to.equal(false);
  });

  it('compares Maps by keys and deep values, and Sets by members', () => {
    expect(deepEqual(new Map([['a', { n: 1 }]]), new Map([['a', { n: 1 }]]))).to.equal(true);
    expect(deepEqual(new Map([['a', { n: 1 }]]), new Map([['a', { n: 2 }]]))).to.equal(false);
    expect(deepEqual(new Map([['a', 1]]), new Map([['b', 1]]))).to.equal(false);
    expect(deepEqual(new Set([1, 2]), new Set([2, 1]))).to.equal(true);
    expect(deepEqual(new Set([1, 2]), new Set([1, 3]))).to.equal(false);
  });

  it('treats objects with a null prototype like plain objects', () => {
    const a = Object.assign(Object.create(null) as Record<string, unknown>, { id: 1 });
    const b = Object.assign(Object.create(null) as Record<string, unknown>, { id: 1 });
    expect(deepEqual(a, b)).to.equal(true);
    expect(deepEqual(a, { id: 1 })).to.equal(false);
  });

  it('compares class instances and functions by identity', () => {
    class Point { constructor(readonly x: number) {} }
    const p = new Point(1);
    expect(deepEqual(p, p)).to.equal(true);
    expect(deepEqual(new Point(1), new Point(1))).to.equal(false);
    const f = () => 1;
    expect(deepEqual(f, f)).to.equal(true);
    expect(deepEqual(() => 1, () => 1)).to.equal(false);
  });
});
