// A small static file server for the demo and the end-to-end tests: serves mounted folders
// on loopback with the right MIME types (application/wasm matters for streaming compile).
// Also what every server of the demo and the tests shares: `listen` (a busy port is a clear
// error) and `closeServer` (stops at once, even with keep-alive connections open).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Listens on `host:port` (0 picks a free port) and resolves to the port taken. A port in
 * use rejects with an Error whose code is 'EADDRINUSE' and whose message says so in one
 * line, followed by `hint` (what to do about it).
 */
export function listen(server, { port, host = '127.0.0.1', hint = 'stop the process that holds it' }) {
  return new Promise((resolve, reject) => {
    const failed = (e) => {
      if (e.code !== 'EADDRINUSE') return reject(e);
      reject(Object.assign(new Error(`port ${port} is in use: ${hint}`), { code: 'EADDRINUSE', port }));
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve(server.address().port);
    });
  });
}

/**
 * Stops `server` now: no new connections, and every open one (keep-alive or mid-request)
 * is closed instead of waited for. Resolves once the server has closed.
 */
export function closeServer(server) {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Starts a server. `mounts` maps URL prefixes ('/', '/pkg/') to folders; the longest prefix
 * wins. `files` maps exact paths to generated files ({ type, body }, or a function returning
 * one, asked at each request). `headers` is an object or a function returning one (asked at
 * each request). `fallback` (a file path) is served for a path that names no file and has no
 * extension (a single-page app's routes: /protected); a missing /x.wasm stays a 404.
 * Resolves to { server, url, close() }; port 0 picks a free port; a busy port rejects with
 * `hint` (see `listen`).
 */
export async function startStaticServer({ mounts, files = {}, host = '127.0.0.1', port = 0, headers = {}, hint, fallback }) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (req.method !== 'GET' && req.method !== 'HEAD') throw Object.assign(new Error(), { status: 404 });
      const extra = typeof headers === 'function' ? headers() : headers;
      if (Object.hasOwn(files, path)) {
        const file = typeof files[path] === 'function' ? files[path]() : files[path];
        res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store', ...extra });
        res.end(req.method === 'HEAD' ? undefined : file.body);
        return;
      }
      const prefix = prefixes.find((p) => path.startsWith(p));
      if (!prefix) throw Object.assign(new Error(), { status: 404 });
      const base = mounts[prefix];
      let file = normalize(join(base, path.slice(prefix.length)));
      if (file !== base && !file.startsWith(base.endsWith(sep) ? base : base + sep)) throw Object.assign(new Error(), { status: 403 });
      const found = await stat(file).catch((e) => {
        if (e.code === 'ENOENT' && fallback && !extname(path)) return null;
        throw e;
      });
      if (!found) file = fallback;
      else if (found.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        ...extra,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      const status = e.status ?? (e.code === 'ENOENT' ? 404 : 500);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(String(status));
    }
  });
  const taken = await listen(server, { port, host, hint });
  return { server, url: `http://${host}:${taken}`, close: () => closeServer(server) };
}
