/**
 * Small helpers for moving strings and bytes in and out of wasm memory.
 *
 * Everything allocated here comes from `sqlite3_malloc`, so SQLite may take ownership (bind
 * destructors, `FREEONCLOSE`) or we free it with `sqlite3_free`. Reads always copy: a view into
 * `HEAPU8` dies when the wasm memory grows.
 */
import type { Ptr, WasmModule } from './wasm-module.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Copies `bytes` into fresh sqlite3_malloc memory (at least 1 byte, so the pointer is never 0). */
export function copyIn(m: WasmModule, bytes: Uint8Array): Ptr {
  const p = m._sqlite3_malloc(Math.max(1, bytes.byteLength));
  if (p === 0) throw new RangeError(`SQLite could not allocate ${bytes.byteLength} bytes`);
  m.HEAPU8.set(bytes, p);
  return p;
}

/** A NUL-terminated UTF-8 copy of `s`; returns the pointer and the byte length without the NUL. */
export function cString(m: WasmModule, s: string): { ptr: Ptr; bytes: number } {
  const utf8 = encoder.encode(s);
  const p = m._sqlite3_malloc(utf8.byteLength + 1);
  if (p === 0) throw new RangeError(`SQLite could not allocate ${utf8.byteLength + 1} bytes`);
  m.HEAPU8.set(utf8, p);
  m.HEAPU8[p + utf8.byteLength] = 0;
  return { ptr: p, bytes: utf8.byteLength };
}

/** Runs `fn` with a temporary C string, freeing it afterwards. */
export function withCString<T>(m: WasmModule, s: string, fn: (ptr: Ptr) => T): T {
  const { ptr } = cString(m, s);
  try {
    return fn(ptr);
  } finally {
    m._sqlite3_free(ptr);
  }
}

export function copyOut(m: WasmModule, p: Ptr, n: number): Uint8Array {
  return m.HEAPU8.slice(p, p + n);
}

/** Below this many bytes, ASCII text is read byte by byte: TextDecoder's call costs more (ids, flags, short text). */
const SHORT_TEXT = 64;

export function readUtf8(m: WasmModule, p: Ptr, n: number): string {
  const heap = m.HEAPU8;
  if (n <= SHORT_TEXT) {
    let ascii = true;
    for (let i = p; i < p + n; i++) {
      if (heap[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, heap.subarray(p, p + n) as unknown as number[]);
  }
  return decoder.decode(heap.subarray(p, p + n));
}

/**
 * `s` as UTF-8 in fresh sqlite3_malloc memory, encoded straight into wasm memory (no temporary
 * array): room for the worst case (3 bytes per UTF-16 unit) is taken, the bytes written returned.
 */
export function copyInUtf8(m: WasmModule, s: string): { ptr: Ptr; bytes: number } {
  const room = Math.max(1, s.length * 3);
  const p = m._sqlite3_malloc(room);
  if (p === 0) throw new RangeError(`SQLite could not allocate ${room} bytes`);
  const { written } = encoder.encodeInto(s, m.HEAPU8.subarray(p, p + room));
  return { ptr: p, bytes: written };
}

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Two 32-bit halves to a number when safe, else a bigint. */
export function int64FromHalves(lo: number, hi: number): number | bigint {
  if (hi === 0 && lo >= 0) return lo;
  if (hi === -1 && lo < 0) return lo;
  const big = (BigInt(hi) << 32n) | (BigInt(lo) & 0xffffffffn);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** A scratch word for out-parameters, freed by the caller. */
export function allocWord(m: WasmModule, words = 1): Ptr {
  const p = m._malloc(4 * words);
  m.setValue(p, 0, 'i32');
  return p;
}
