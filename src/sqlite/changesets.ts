/**
 * Session-extension helpers: record what a piece of work changed, invert it, apply it.
 *
 * A session is attached to every table of `main` (or the ones named), so a materializer's writes
 * can be undone exactly during a rebase by applying the inverted changeset.
 *
 * The conflict handler needs a C function pointer, and this wasm build's function table cannot grow
 * (`addFunction` fails; wa-sqlite's own apply passes a JS function where C expects a pointer, so a
 * conflict traps). We borrow a trampoline that exists: we register a tiny JS "VFS" whose only method
 * is `xDelete(pVfs, int, ptr)`, which has the exact C shape of a conflict handler
 * `int (*)(void *ctx, int eConflict, sqlite3_changeset_iter *)`, and pass its `xDelete` pointer with
 * the VFS pointer as context. wa-sqlite's relay then calls our JS with (ctx, eConflict, iter). The
 * VFS is never used to open files. Which policy it follows is set just before each synchronous apply.
 */
import type { Ptr, WasmModule } from './wasm-module.ts';
import { SQLITE_OK } from './wasm-module.ts';
import { allocWord, copyIn, copyOut, withCString } from './wasm-memory.ts';
import { SqliteError } from './sqlite-error.ts';

/** What to do when a change does not fit the database: stop (default), overwrite, or skip it. */
export type ConflictPolicy = 'abort' | 'replace' | 'omit';

const CHANGESET_OMIT = 0;
const CHANGESET_REPLACE = 1;
const CHANGESET_ABORT = 2;
const CHANGESET_DATA = 1;
const CHANGESET_CONFLICT = 3;
const CONFLICT_NAMES: Readonly<Record<number, string>> = { 1: 'DATA', 2: 'NOTFOUND', 3: 'CONFLICT', 4: 'CONSTRAINT', 5: 'FOREIGN_KEY' };

interface ConflictState {
  handler: Ptr;
  context: Ptr;
  policy: ConflictPolicy;
  conflicts: string[];
}

const RELAY_VFS = 'ls-changeset-conflict-relay';
const XDELETE_OFFSET = 7 * 4;

const states = new WeakMap<WasmModule, ConflictState>();

function conflictState(m: WasmModule): ConflictState {
  let state = states.get(m);
  if (state === undefined) {
    const s: ConflictState = { handler: 0, context: 0, policy: 'abort', conflicts: [] };
    const relay = {
      name: RELAY_VFS,
      mxPathname: 64,
      hasAsyncMethod: () => false,
      xDelete: (_ctx: number, kind: number): number => {
        s.conflicts.push(CONFLICT_NAMES[kind] ?? String(kind));
        if (s.policy === 'abort') return CHANGESET_ABORT;
        // REPLACE is only allowed for DATA and CONFLICT; everything else can only be skipped
        if (s.policy === 'replace' && (kind === CHANGESET_DATA || kind === CHANGESET_CONFLICT)) return CHANGESET_REPLACE;
        return CHANGESET_OMIT;
      },
    };
    const rc = m.vfs_register(relay, false);
    if (rc !== SQLITE_OK) throw new SqliteError('could not register the changeset conflict relay', rc);
    s.context = withCString(m, RELAY_VFS, (z) => m._sqlite3_vfs_find(z));
    // struct sqlite3_vfs: iVersion, szOsFile, mxPathname, pNext, zName, pAppData, xOpen, xDelete, …
    s.handler = m.getValue(s.context + XDELETE_OFFSET, '*');
    if (s.context === 0 || s.handler === 0) throw new SqliteError('the changeset conflict relay is missing', 1);
    state = s;
    states.set(m, s);
  }
  return state;
}

/** An open session recording changes; `changeset()` may be called once or more, `close()` once. */
export interface ChangeRecorder {
  /** The changes so far, or null when nothing changed. */
  changeset(): Uint8Array | null;
  close(): void;
}

export function startRecorder(m: WasmModule, db: Ptr, tables?: readonly string[]): ChangeRecorder {
  const pp = allocWord(m);
  let session: Ptr;
  try {
    const rc = withCString(m, 'main', (zDb) => m._sqlite3session_create(db, zDb, pp));
    if (rc !== SQLITE_OK) throw new SqliteError('could not start a change session', rc);
    session = m.getValue(pp, 'i32');
  } finally {
    m._free(pp);
  }
  try {
    if (tables === undefined) check(m._sqlite3session_attach(session, 0), 'attach');
    else for (const t of tables) check(withCString(m, t, (z) => m._sqlite3session_attach(session, z)), `attach "${t}"`);
  } catch (err) {
    m._sqlite3session_delete(session);
    throw err;
  }
  let open = true;
  return {
    changeset() {
      if (!open) throw new SqliteError('change session already closed', 21);
      const pn = allocWord(m, 2);
      try {
        check(m._sqlite3session_changeset(session, pn, pn + 4), 'changeset');
        const n = m.getValue(pn, 'i32');
        const p = m.getValue(pn + 4, '*');
        if (p === 0) return null;
        const bytes = n === 0 ? null : copyOut(m, p, n);
        m._sqlite3_free(p);
        return bytes;
      } finally {
        m._free(pn);
      }
    },
    close() {
      if (!open) return;
      open = false;
      m._sqlite3session_delete(session);
    },
  };
}

export function invertChangeset(m: WasmModule, changeset: Uint8Array): Uint8Array {
  const pIn = copyIn(m, changeset);
  const pn = allocWord(m, 2);
  try {
    check(m._sqlite3changeset_invert(changeset.byteLength, pIn, pn, pn + 4), 'invert');
    const n = m.getValue(pn, 'i32');
    const p = m.getValue(pn + 4, '*');
    const out = copyOut(m, p, n);
    if (p !== 0) m._sqlite3_free(p);
    return out;
  } finally {
    m._sqlite3_free(pIn);
    m._free(pn);
  }
}

/** Applies a changeset; with the default policy any conflict aborts it and nothing is changed. */
export function applyChangeset(m: WasmModule, db: Ptr, changeset: Uint8Array, policy: ConflictPolicy = 'abort'): void {
  const state = conflictState(m);
  const p = copyIn(m, changeset);
  state.policy = policy;
  state.conflicts = [];
  try {
    const rc = m._sqlite3changeset_apply(db, changeset.byteLength, p, 0, state.handler, state.context);
    if (rc !== SQLITE_OK) {
      const which = state.conflicts.length > 0 ? ` (conflict: ${state.conflicts.join(', ')})` : '';
      throw new SqliteError(`the changeset does not apply to this database${which}; nothing was changed`, rc);
    }
  } finally {
    m._sqlite3_free(p);
  }
}

function check(rc: number, what: string): void {
  if (rc !== SQLITE_OK) throw new SqliteError(`change session: ${what} failed`, rc);
}
