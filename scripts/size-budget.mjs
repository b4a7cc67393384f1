#!/usr/bin/env node
// Bundle-size budget: the raw and gzip size of every file the build ships, each against its
// limit; exits 1 (naming the files) when one is over, or missing. Run after `npm run build`
// (the build script does); `node scripts/size-budget.mjs [distDir] [--json]`.
// Raise a limit only with a reason in the commit: these are what a page downloads.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Limits in bytes. The wasm is wa-sqlite's build as published; it changes only with the package. */
export const BUDGETS = {
  'ls-elements.js': { raw: 260_000, gzip: 85_000 },
  'ls-elements.iife.js': { raw: 260_000, gzip: 85_000 },
  'leader.worker.js': { raw: 160_000, gzip: 52_000 },
  'shared.worker.js': { raw: 4_000, gzip: 2_000 },
  'wa-sqlite.wasm': { raw: 650_000, gzip: 320_000 },
};

/** Measures every budgeted file of `dir`: [{ file, raw, gzip, limit, over: string[] }]. */
export function measure(dir) {
  return Object.entries(BUDGETS).map(([file, limit]) => {
    const path = join(dir, file);
    let bytes;
    try {
      if (!statSync(path).isFile()) throw new Error('not a file');
      bytes = readFileSync(path);
    } catch {
      return { file, raw: 0, gzip: 0, limit, over: ['missing'] };
    }
    const raw = bytes.length;
    const gzip = gzipSync(bytes, { level: 9 }).length;
    const over = [];
    if (raw > limit.raw) over.push(`raw ${raw} > ${limit.raw}`);
    if (gzip > limit.gzip) over.push(`gzip ${gzip} > ${limit.gzip}`);
    return { file, raw, gzip, limit, over };
  });
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const args = process.argv.slice(2);
  const dir = resolve(args.find((a) => !a.startsWith('--')) ?? 'dist');
  const rows = measure(dir);
  if (args.includes('--json')) {
    console.log(JSON.stringify(rows));
  } else {
    const kb = (n) => `${(n / 1000).toFixed(1)} kB`.padStart(9);
    console.log(`size budget (${dir})`);
    for (const r of rows) {
      const mark = r.over.length === 0 ? 'ok  ' : 'OVER';
      console.log(`  ${mark} ${r.file.padEnd(22)} raw ${kb(r.raw)} / ${kb(r.limit.raw)}   gzip ${kb(r.gzip)} / ${kb(r.limit.gzip)}${r.over.length === 0 ? '' : `   (${r.over.join(', ')})`}`);
    }
  }
  const failed = rows.filter((r) => r.over.length > 0);
  if (failed.length > 0) {
    console.error(`size budget exceeded: ${failed.map((r) => `${r.file} (${r.over.join(', ')})`).join('; ')}`);
    process.exit(1);
  }
}
