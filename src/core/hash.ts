/**
 * A small, stable, synchronous string hash: 64-bit FNV-1a over the UTF-8 bytes, as 16 hex
 * digits. Not cryptographic; it fingerprints schemas (a change of any table's DDL or of the
 * materializer version changes the hash, which makes the leader rebuild state from the
 * eventlog). Same input, same output, in every browser, worker and node.
 */
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const utf8 = new TextEncoder();

export function fnv1a64(text: string): string {
  let hash = OFFSET;
  for (const byte of utf8.encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * PRIME) & MASK;
  }
  return hash.toString(16).padStart(16, '0');
}
