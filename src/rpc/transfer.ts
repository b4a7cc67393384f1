/**
 * `transfer(value, list)`: marks a value so that RPC moves `list` (ArrayBuffers, MessagePorts)
 * instead of copying when it sends the value as an argument or a result. The mark lives in a
 * WeakMap keyed by the value, so the value itself is sent unchanged.
 */
const marks = new WeakMap<object, Transferable[]>();

export function transfer<T extends object>(value: T, list: Transferable[]): T {
  marks.set(value, list);
  return value;
}

/** The transfer list of the marked values among `values` (and forgets the marks). */
export function takeTransfers(values: readonly unknown[]): Transferable[] {
  const out: Transferable[] = [];
  for (const v of values) {
    if (typeof v !== 'object' || v === null) continue;
    const list = marks.get(v);
    if (list === undefined) continue;
    marks.delete(v);
    for (const t of list) if (!out.includes(t)) out.push(t);
  }
  return out;
}
