/**
 * Loads the wa-sqlite wasm build once per realm (page or worker) and hands out the module.
 *
 * `wasmUrl` lets a no-build page point at the `.wasm` file next to the script; by default the
 * Emscripten loader finds it next to its own `.mjs` via `import.meta.url`.
 */
import SQLiteESMFactory from '@livestore/wa-sqlite/dist/wa-sqlite.mjs';
import type { WasmModule } from './wasm-module.ts';
import { LsError } from '../core/errors.ts';

export interface SqliteApi {
  readonly module: WasmModule;
}

export interface LoadSqliteOptions {
  /** Where `wa-sqlite.wasm` lives, when it is not next to the loader module. */
  readonly wasmUrl?: string | URL;
}

let loading: Promise<SqliteApi> | undefined;

export function loadSqlite(options: LoadSqliteOptions = {}): Promise<SqliteApi> {
  loading ??= load(options).catch((err: unknown) => {
    loading = undefined; // a failed load (network, CSP) may be retried
    throw err;
  });
  return loading;
}

async function load(options: LoadSqliteOptions): Promise<SqliteApi> {
  const config: Record<string, unknown> = {};
  if (options.wasmUrl !== undefined) {
    const href = String(options.wasmUrl);
    config.locateFile = (file: string) => (file.endsWith('.wasm') ? href : file);
  }
  try {
    const module = (await SQLiteESMFactory(config)) as unknown as WasmModule;
    return { module };
  } catch (err) {
    throw new LsError('LS_SQLITE_ERROR', `Could not load the SQLite wasm module${options.wasmUrl === undefined ? '' : ` from ${String(options.wasmUrl)}`}: check that wa-sqlite.wasm is served next to the script (or pass wasmUrl).`, { cause: err });
  }
}
