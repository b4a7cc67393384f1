/**
 * `npm run load`: the sync server under load, SQLite and PostgreSQL side by side, loopback only.
 * Each backend runs as real CLI processes (server/cli.ts): one node on an SQLite file, and two
 * nodes on one throwaway PostgreSQL (writers on the first node, watchers on the second, so the
 * fan-out latency crosses nodes through NOTIFY). Every run is bounded in time and count.
 *
 *   npm run load [-- --seconds 3] [--max-pushes 5000] [--no-postgres] [--json out.json]
 *
 * Prints a Markdown table: accepted pushes/s (one event per push) per store and across stores,
 * the worst number of rejections a push needed, and fan-out latency p50/p99.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { killAllForTesting, startCliForTesting } from '../cli-testing.ts';
import { startPostgresForTesting } from '../postgres-event-store-testing.ts';
import { loadRun } from './load-run.ts';
import type { LoadRunResult } from './load-run.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    'max-pushes': { type: 'string', default: '5000' },
    'no-postgres': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const maxPushes = Number(values['max-pushes']);
const shapes = [
  { stores: 1, writers: 1 },
  { stores: 1, writers: 10 },
  { stores: 1, writers: 50 },
  { stores: 4, writers: 10 },
];

const results: LoadRunResult[] = [];
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ls-load-'));
try {
  const sqlite = await startCliForTesting(['--port', '0', '--db', join(dir, 'sync.sqlite')], children);
  for (const s of shapes) results.push(await loadRun({ ...s, seconds, maxPushes, writerUrl: sqlite.url, watcherUrl: sqlite.url, label: 'SQLite, 1 node' }));
  if (!values['no-postgres']) {
    const pg = await startPostgresForTesting();
    try {
      const args = ['--port', '0', '--postgres', pg.url, '--pg-schema', pg.freshSchema()];
      const a = await startCliForTesting(args, children);
      const b = await startCliForTesting(args, children);
      for (const s of shapes) results.push(await loadRun({ ...s, seconds, maxPushes, writerUrl: a.url, watcherUrl: b.url, label: 'PostgreSQL, 2 nodes' }));
    } finally {
      killAllForTesting(children);
      await pg.stop();
    }
  }
} finally {
  killAllForTesting(children);
  rmSync(dir, { recursive: true, force: true });
}

const conditions = `${new Date().toISOString()}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; clients, servers and PostgreSQL on one machine over loopback; ${seconds} s or ${maxPushes} pushes per store per run; one event per push`;
const lines = [
  `Conditions: ${conditions}.`,
  '',
  '| backend | stores × writers | accepted pushes/s (all stores) | per store | events/s | worst retries of a push | fan-out p50 ms | p99 ms |',
  '|---|---|---:|---:|---:|---:|---:|---:|',
  ...results.map((r) => `| ${r.label} | ${r.stores} × ${r.writers} | ${r.pushesPerSecond} | ${r.perStorePushesPerSecond} | ${r.eventsPerSecond} | ${r.worstRetries} | ${r.fanoutP50Ms} | ${r.fanoutP99Ms} |`),
];
console.log(lines.join('\n'));
if (values.json !== undefined) writeFileSync(values.json, JSON.stringify({ conditions, results }, null, 2));
