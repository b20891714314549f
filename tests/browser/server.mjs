// A tiny static file server for the browser checks.
//
// Serves SITE_DIR under a mount prefix ("/" or e.g. "/nested/sub/path/") on
// 127.0.0.1 with an ephemeral port. Anything outside the mount is a plain 404,
// so a root-absolute URL in the site breaks visibly when the site is mounted
// under a subpath. Missing files inside the mount get the site's 404.html with
// status 404, as a typical static host would do.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.pdf': 'application/pdf',
  '.webmanifest': 'application/manifest+json',
};

export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

// Normalise a mount prefix to "/" or "/a/b/".
export function normaliseMount(prefix) {
  const parts = String(prefix || '/').split('/').filter(Boolean);
  return parts.length ? `/${parts.join('/')}/` : '/';
}

// Map a URL pathname (already known to start with mount) to a file path
// inside siteDir, or null when it would escape siteDir.
export function fileForPath(siteDir, mount, pathname) {
  let rel;
  try {
    rel = decodeURIComponent(pathname.slice(mount.length));
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const full = path.resolve(siteDir, `.${path.posix.sep}${rel}`);
  const root = path.resolve(siteDir);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  return full;
}

function isFile(p) {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}
function isDir(p) {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

export function startServer(siteDir, mountPrefix) {
  const mount = normaliseMount(mountPrefix);
  const notFoundPage = path.join(siteDir, '404.html');

  const send = (req, res, status, headers, body) => {
    res.writeHead(status, {
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
      'Content-Length': body ? body.length : 0,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const plain404 = (req, res) =>
    send(req, res, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, Buffer.from('404 not found\n'));
  const site404 = (req, res) => {
    if (isFile(notFoundPage)) {
      send(req, res, 404, { 'Content-Type': contentType(notFoundPage) }, fs.readFileSync(notFoundPage));
    } else {
      plain404(req, res);
    }
  };

  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, Buffer.from('405\n'));
      return;
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    const pathname = url.pathname;
    // The mount itself without its trailing slash: redirect like a real host.
    if (mount !== '/' && pathname === mount.slice(0, -1)) {
      send(req, res, 301, { Location: mount + url.search }, null);
      return;
    }
    if (!pathname.startsWith(mount)) {
      plain404(req, res);
      return;
    }
    let file = fileForPath(siteDir, mount, pathname);
    if (!file) {
      plain404(req, res);
      return;
    }
    if (isDir(file)) {
      if (!pathname.endsWith('/')) {
        send(req, res, 301, { Location: `${pathname}/${url.search}` }, null);
        return;
      }
      file = path.join(file, 'index.html');
    }
    if (!isFile(file)) {
      site404(req, res);
      return;
    }
    send(req, res, 200, { 'Content-Type': contentType(file) }, fs.readFileSync(file));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        server,
        mount,
        origin: `http://127.0.0.1:${port}`,
        base: `http://127.0.0.1:${port}${mount}`,
        close: () => new Promise((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
      });
    });
  });
}
