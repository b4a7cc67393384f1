/**
 * Ids that outlive one page load, for the web adapter (DESIGN "Data"):
 * - `tabSessionId(storeId)`: one per tab, kept in sessionStorage so a reload keeps it. A
 *   duplicated tab (or `window.open`) starts with a copy of that sessionStorage, so the id is
 *   also guarded by a Web Lock the owning tab holds for its life: if the lock is taken, this is a
 *   copy and gets a new id. After a reload the old page may hold the lock a moment longer, so a
 *   reload waits for it briefly instead of taking a new id.
 * - `profileClientId()`: one per browser profile and origin, in localStorage.
 */
import { nanoid } from 'nanoid';

const held = new Map<string, Promise<string>>();

export function tabSessionId(storeId: string): Promise<string> {
  let p = held.get(storeId);
  if (p === undefined) {
    p = resolveSessionId(storeId);
    held.set(storeId, p);
  }
  return p;
}

async function resolveSessionId(storeId: string): Promise<string> {
  const key = `ls:session:${storeId}`;
  const storage = sessionStorageOrUndefined();
  const known = storage?.getItem(key) ?? null;
  if (known !== null && (await holdForLife(`${key}:${known}`, isReload() ? 1000 : 0))) return known;
  for (;;) {
    const id = nanoid(12);
    if (await holdForLife(`${key}:${id}`, 0)) {
      storage?.setItem(key, id);
      return id;
    }
  }
}

/** Takes the lock `name` until this page goes away; false when another page holds it (after `waitMs`). */
function holdForLife(name: string, waitMs: number): Promise<boolean> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (locks === undefined) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const keep = (lock: Lock | null): Promise<void> | undefined => {
      resolve(lock !== null);
      return lock === null ? undefined : new Promise<void>(() => {});
    };
    const request = waitMs > 0
      ? locks.request(name, { signal: AbortSignal.timeout(waitMs) }, keep)
      : locks.request(name, { ifAvailable: true }, keep);
    request.catch(() => resolve(false)); // timed out: the lock is another tab's
  });
}

function isReload(): boolean {
  const nav = globalThis.performance?.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
  return nav?.type === 'reload';
}

function sessionStorageOrUndefined(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined; // blocked storage (sandboxed iframe): ids live as long as the page
  }
}

/** One id per browser profile (and origin). */
export function profileClientId(): string {
  const key = 'ls:clientId';
  try {
    const known = globalThis.localStorage?.getItem(key);
    if (known) return known;
    const id = nanoid(12);
    globalThis.localStorage?.setItem(key, id);
    return id;
  } catch {
    return nanoid(12);
  }
}
