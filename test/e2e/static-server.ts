/**
 * A plain static file server (no transforms, no bundler), for checking that the no-build page
 * and dist/ work as copied files: Vite's dev server would rewrite dist/'s scripts. Serves only
 * the listed top-level folders of `root`, GET only, with the MIME types browsers insist on
 * for module scripts, workers and wasm.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.wasm': 'application/wasm', '.map': 'application/json', '.json': 'application/json',
};

export async function startStaticServer(root: string, folders: readonly string[]): Promise<StaticServer> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname));
    const top = path.split('/')[1] ?? '';
    if (req.method !== 'GET' || !folders.includes(top) || path.includes('..')) {
      res.writeHead(404).end('not found');
      return;
    }
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('static server did not listen');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      // Chromium keeps a preconnected socket that has sent no request yet: close() would wait for
      // it until the headers timeout (a minute).
      server.closeAllConnections();
    }),
  };
}
