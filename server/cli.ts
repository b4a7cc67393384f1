/**
 * `node --import tsx server/cli.ts [options]`: runs the sync server until SIGINT/SIGTERM.
 *
 *   --port <n>          TCP port (default 8787, env LS_SYNC_PORT; 0 picks a free one)
 *   --host <addr>       listen address (default 127.0.0.1, env LS_SYNC_HOST)
 *   --db <path>         embedded SQLite file (default ./data/sync.sqlite, env LS_SYNC_DB)
 *   --postgres <url>    use PostgreSQL instead (env LS_SYNC_POSTGRES_URL); several nodes may share it
 *   --pg-schema <name>  PostgreSQL schema (default ls_sync)
 *   --verbose           also print debug lines
 *
 * Prints `sync server listening on ws://…` once it accepts connections (scripts and tests wait for
 * that line), then one line per thing the server does. On a signal it stops accepting, lets
 * requests in flight finish and closes the event store; a second signal exits at once.
 */
import { parseArgs } from 'node:util';
import { isLsError } from '../src/core/errors.ts';
import type { EventStore } from './event-store.ts';
import { createPostgresEventStore } from './postgres-event-store.ts';
import { createSqliteEventStore } from './sqlite-event-store.ts';
import { startSyncServer } from './sync-server.ts';
import type { SyncLog } from './sync-log.ts';

const USAGE = 'usage: node --import tsx server/cli.ts [--port 8787] [--host 127.0.0.1] [--db ./data/sync.sqlite | --postgres postgres://…] [--pg-schema ls_sync] [--verbose]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        postgres: { type: 'string' },
        'pg-schema': { type: 'string' },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    fail(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const env = process.env;
  const portText = values.port ?? env['LS_SYNC_PORT'] ?? '8787';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (0–65535), got "${portText}".\n${USAGE}`);
  const postgres = values.postgres ?? env['LS_SYNC_POSTGRES_URL'];
  if (postgres !== undefined && values.db !== undefined) fail(`Give either --db or --postgres, not both.\n${USAGE}`);

  const log: SyncLog = (level, message, data) => {
    if (level === 'debug' && !values.verbose) return;
    const line = `${new Date().toISOString()} ${level} ${message}${data === undefined ? '' : ` ${JSON.stringify(data)}`}`;
    if (level === 'error' || level === 'warn') console.error(line);
    else console.log(line);
  };

  let store: EventStore;
  let described: string;
  if (postgres !== undefined) {
    const schema = values['pg-schema'] ?? 'ls_sync';
    store = await createPostgresEventStore({ connectionString: postgres, schema, log });
    described = `PostgreSQL ${redact(postgres)} schema ${schema}`;
  } else {
    const path = values.db ?? env['LS_SYNC_DB'] ?? 'data/sync.sqlite';
    store = await createSqliteEventStore({ path });
    described = `SQLite ${path}`;
  }

  let server;
  try {
    server = await startSyncServer({ port, host: values.host ?? env['LS_SYNC_HOST'] ?? '127.0.0.1', store, log });
  } catch (err) {
    await store.close();
    throw err;
  }
  console.log(`sync server listening on ${server.url} (${described})`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    log('info', 'stopping', { signal });
    void server.close().then(() => store.close()).then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`sync server: shutdown failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Hides a password in a connection URL for the log. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function fail(message: string): never {
  console.error(`sync server: ${message}`);
  process.exit(2);
}

main().catch((err: unknown) => {
  const code = isLsError(err) ? `${err.code}: ` : '';
  console.error(`sync server: ${code}${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
