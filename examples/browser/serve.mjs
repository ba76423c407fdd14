#!/usr/bin/env node
/**
 * A static file server for the example page, on this machine only
 * (127.0.0.1): module scripts and Web Workers need http(s), not file://.
 * It serves files and nothing else, so it stands for any static host.
 *
 * Usage: node examples/browser/serve.mjs [--port 8016] [--root examples/browser]
 * (build the page's scripts first: node examples/browser/build.mjs)
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serve a folder over http on 127.0.0.1.
 *
 * @param {string} root - the folder
 * @param {number} [port] - the port (0: any free one)
 * @returns {Promise<{ url: string, close: () => Promise<void>, requests: string[] }>} the base URL, a way to stop, and every path asked for
 */
export function serveStatic(root, port = 0) {
  const base = resolve(root);
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    requests.push(path);
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const a = server.address();
      ok({
        url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : port}/`,
        requests,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
  const root = opt('root', dirname(fileURLToPath(import.meta.url)));
  if (!existsSync(join(root, 'vendor', 'carecast', 'carecast.js'))) console.warn('the page\'s scripts are not built: run node examples/browser/build.mjs first');
  const { url } = await serveStatic(root, Number(opt('port', '8016')));
  console.log(`serving ${root} at ${url} (Ctrl-C to stop)`);
}
