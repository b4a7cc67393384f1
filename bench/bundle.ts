/**
 * Scenario 9, bundle size: a production `vite build` of each bench page on its own (its workers
 * included, as Vite emits them) into a temp directory, then the emitted files summed by kind:
 * JS (.js/.mjs, and the ls-elements schema module the leader worker imports by URL) and wasm,
 * raw and gzipped (level 9). Other assets (HTML, maps) are left out.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import type { TargetName } from './harness.ts';

export interface BundleSize {
  readonly jsRaw: number;
  readonly jsGzip: number;
  readonly wasmRaw: number;
  readonly wasmGzip: number;
  readonly files: readonly { readonly file: string; readonly bytes: number }[];
}

const root = resolve(import.meta.dirname, '..');
const page: Record<TargetName, string> = { 'ls-elements': 'bench/pages/ls.html', livestore: 'bench/pages/livestore.html' };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export async function bundleSize(target: TargetName): Promise<BundleSize> {
  const outDir = mkdtempSync(join(tmpdir(), `ls-bench-build-${target}-`));
  try {
    await build({
      root, configFile: false, logLevel: 'error',
      build: { outDir, emptyOutDir: true, target: 'es2022', sourcemap: false, rollupOptions: { input: join(root, page[target]) } },
      worker: { format: 'es' },
      optimizeDeps: { exclude: ['@livestore/wa-sqlite'] },
    });
    let jsRaw = 0, jsGzip = 0, wasmRaw = 0, wasmGzip = 0;
    const files: { file: string; bytes: number }[] = [];
    for (const path of walk(outDir)) {
      const bytes = readFileSync(path);
      const isJs = /\.(m?js|ts)$/.test(path), isWasm = path.endsWith('.wasm');
      if (!isJs && !isWasm) continue;
      const gz = gzipSync(bytes, { level: 9 }).byteLength;
      if (isJs) { jsRaw += bytes.byteLength; jsGzip += gz; } else { wasmRaw += bytes.byteLength; wasmGzip += gz; }
      files.push({ file: path.slice(outDir.length + 1), bytes: bytes.byteLength });
    }
    return { jsRaw, jsGzip, wasmRaw, wasmGzip, files };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
