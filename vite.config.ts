// Vite: the dev server for the demo (`npm start`) and the library build (`npm run build`).
//
// The build runs twice over one entry (elements/ls-elements.ts), into the same dist/:
//   vite build                 → ls-elements.js       ESM, registers the elements
//   vite build --mode classic  → ls-elements.iife.js  classic <script>, global `LS`
// Both find the leader and shared workers and wa-sqlite.wasm relative to their own URL
// (`new URL('<file>', import.meta.url)` in the ESM file; in the classic script, the script's src
// captured when it runs), under fixed names beside them, so dist/ works from any path of any
// static server. `npm run build` then writes the type declarations (tsconfig.build.json) into
// dist/types and checks the size budget (scripts/size-budget.mjs); test/node/build.test.ts
// checks all of it, in Chromium too.
import { realpathSync } from 'node:fs';
import { defineConfig, searchForWorkspaceRoot, type Plugin } from 'vite';

/**
 * Lit's production build touches the DOM when it is evaluated: ReactiveElement is declared
 * `class … extends HTMLElement`, and lit-html keeps `document` and makes a TreeWalker at the top
 * level. Both throw in a worker. The leader worker imports no-build pages' schema modules, and
 * those import ls-elements.js; so where there is no DOM these fall back to inert stand-ins (no
 * element is ever defined or rendered there: defineElements checks for customElements and
 * document). Lit's own node build does the same. The build fails if Lit's code no longer matches.
 */
const LIT_PATCHES: readonly { readonly file: RegExp; readonly find: RegExp; readonly replace: string }[] = [
  { file: /@lit\/reactive-element\/reactive-element\.js$/, find: /extends HTMLElement\s*\{/, replace: 'extends (globalThis.HTMLElement ?? class {}) {' },
  { file: /lit-html\/lit-html\.js$/, find: /([A-Za-z_$][\w$]*)=document,/, replace: '$1=globalThis.document??{createTreeWalker:()=>({})},' },
];

function workerSafeLit(): Plugin {
  return {
    name: 'ls-worker-safe-lit',
    transform(code, id) {
      const patch = LIT_PATCHES.find((p) => p.file.test(id) && !id.includes('/development/'));
      if (patch === undefined) return null;
      const patched = code.replace(patch.find, patch.replace);
      if (patched === code) this.error(`ls-worker-safe-lit: ${String(patch.find)} not found in ${id}; update vite.config.ts for this Lit version.`);
      return { code: patched, map: null };
    },
  };
}

const CLASSIC_FILE = 'ls-elements.iife.js';
const SCRIPT_URL = '__lsScriptUrl';
const SCRIPT_URL_INTRO = `var ${SCRIPT_URL} = typeof document !== 'undefined' && typeof document.currentScript?.src === 'string' ? document.currentScript.src : typeof document !== 'undefined' ? document.baseURI : typeof location !== 'undefined' ? location.href : '';`;

export default defineConfig(({ mode }) => {
  const classic = mode === 'classic';
  return {
    server: {
      host: '127.0.0.1', port: 5173, strictPort: false,
      // A node_modules that is a link (pnpm, a shared checkout) resolves outside the root: allow it.
      fs: { allow: [searchForWorkspaceRoot(process.cwd()), realpathSync('node_modules')] },
    },
    optimizeDeps: { exclude: ['@livestore/wa-sqlite'] },
    plugins: [workerSafeLit()],
    worker: {
      format: 'es',
      plugins: () => [workerSafeLit()],
      rollupOptions: { output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name][extname]' } },
    },
    // Relative URLs: the workers and the wasm are found next to the script, wherever dist/ is served.
    base: './',
    // Vite's relative URLs in a classic script read document.currentScript when the URL is needed,
    // which is null by then (the worker starts after the script ran), so they resolved against
    // the page. The classic build takes the script's URL once, when it runs (SCRIPT_URL_INTRO).
    experimental: classic
      ? { renderBuiltUrl: (file: string, { hostId, hostType }: { hostId: string; hostType: string }) => (hostType === 'js' && hostId === CLASSIC_FILE ? { runtime: `new URL(${JSON.stringify(file)}, ${SCRIPT_URL}).href` } : { relative: true }) }
      : {},
    build: {
      target: 'es2022',
      outDir: 'dist',
      // The classic build adds to the ESM build's output; the ESM build starts from scratch.
      emptyOutDir: !classic,
      assetsDir: '',
      assetsInlineLimit: 0, // the wasm stays a file (no data: URL of 600 kB in every script)
      copyPublicDir: false,
      sourcemap: true,
      // Not Vite's library mode: it inlines every asset, the wasm included, as a data: URL.
      rollupOptions: {
        input: { 'ls-elements': 'elements/ls-elements.ts' },
        // allow-extension: the lazy devtools chunk imports shared code from the entry (no facade split).
        preserveEntrySignatures: 'allow-extension',
        output: classic
          ? { format: 'iife', name: 'LS', intro: SCRIPT_URL_INTRO, entryFileNames: CLASSIC_FILE, assetFileNames: '[name][extname]', inlineDynamicImports: true }
          : { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name][extname]' },
      },
    },
  };
});
