#!/usr/bin/env node
// `npm run bench [-- --quick]`: the benchmark suite side by side with LiveStore 0.4.0 (issue 8).
// LiveStore lives in bench/package.json so the root install stays lean: installed here on first
// run. The run itself is bench/run.ts (through tsx); results land in bench/results/.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
if (!existsSync(join(root, 'bench/node_modules/@livestore/livestore'))) {
  console.log('bench: installing LiveStore into bench/node_modules (npm install --prefix bench)');
  const install = spawnSync('npm', ['install', '--prefix', 'bench'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
