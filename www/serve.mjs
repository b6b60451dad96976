// Static file server for the playground build (dist/), with no dependencies.
//
//   node www/serve.mjs [DIR]     DIR defaults to dist/ at the repository root
//
// It listens on 127.0.0.1 only, on the port in PORT (default 8080; 0 picks a
// free one), and prints "Serving DIR at http://127.0.0.1:PORT/" once it listens.

import { createServer } from 'node:http';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';

// DuckDB-WASM's instantiate needs application/wasm: with any other type it
// throws inside the worker and its promise never settles.
const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.sql': 'text/plain; charset=utf-8',
  '.toml': 'text/plain; charset=utf-8',
};

function parsePort(text) {
  if (text === undefined || text === '') return 8080;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid PORT ${JSON.stringify(text)}: expected an integer from 0 to 65535`);
  }
  return port;
}

// Maps a request path into `root`; returns null for paths that leave it.
function resolvePath(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

function sendError(response, status, message) {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(`${status} ${message}\n`);
}

async function handle(root, request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    sendError(response, 405, 'Method Not Allowed');
    return;
  }
  const url = new URL(request.url, `http://${HOST}`);
  let file = resolvePath(root, url.pathname);
  if (file === null) {
    sendError(response, 400, 'Bad Request');
    return;
  }
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = path.join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (info === null || !info.isFile()) {
    sendError(response, 404, 'Not Found');
    return;
  }

  // Validators instead of max-age: the browser revalidates every time, so a rebuild
  // shows on reload, and an unchanged 34 MB DuckDB file costs only a 304.
  const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers = {
    'Content-Type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Cache-Control': 'no-cache',
    ETag: etag,
    'Last-Modified': info.mtime.toUTCString(),
    'X-Content-Type-Options': 'nosniff',
  };
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  headers['Content-Length'] = info.size;
  response.writeHead(200, headers);
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', (error) => {
    console.error(`serve: reading ${file} failed: ${error.message}`);
    response.destroy(error);
  });
  stream.pipe(response);
}

function main() {
  const scriptDir = path.dirname(fileURLToPath(import.meta.url));
  const root = path.resolve(process.argv[2] ?? path.join(scriptDir, '..', 'dist'));
  const port = parsePort(process.env.PORT);
  if (!existsSync(path.join(root, 'index.html'))) {
    console.error(`serve: ${root}/index.html not found; run scripts/build.sh first`);
    process.exit(1);
  }

  const server = createServer((request, response) => {
    handle(root, request, response).catch((error) => {
      console.error(`serve: ${request.method} ${request.url} failed: ${error.stack ?? error}`);
      if (!response.headersSent) sendError(response, 500, 'Internal Server Error');
      else response.destroy(error);
    });
  });
  server.on('error', (error) => {
    const hint = error.code === 'EADDRINUSE' ? `; set PORT to a free port` : '';
    console.error(`serve: listening on ${HOST}:${port} failed: ${error.message}${hint}`);
    process.exit(1);
  });
  server.listen(port, HOST, () => {
    console.log(`Serving ${root} at http://${HOST}:${server.address().port}/`);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      // Browsers keep idle connections open, and close() waits for them.
      server.close(() => process.exit(0));
      server.closeAllConnections();
    });
  }
}

main();
