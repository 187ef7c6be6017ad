// The same OHIF build telerad serves, in front of Orthanc, for bench/dicomweb.sh's
// "worklist click to first drawn slice" comparison. One origin, as telerad's: the files
// of DIST (the .gz sibling when the browser accepts gzip, as telerad does; cached as
// telerad caches them, so the warm figure compares like with like: a year and immutable
// for names with a content hash, revalidated by ETag otherwise), index.html for
// the app's own routes, /app-config.js = telerad's own app-config.js with its DICOMweb
// root /dicomweb replaced by /dicom-web, and /dicom-web/* passed to Orthanc as is.
//
//   node ohif_orthanc_proxy.mjs --port P --dist DIST --orthanc http://127.0.0.1:8042
//        --config-from http://127.0.0.1:8080/app-config.js
import http from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const dist = path.resolve(args.dist);
const orthanc = new URL(args.orthanc);
const config = (await (await fetch(args['config-from'])).text()).replaceAll('"/dicomweb"', '"/dicom-web"');

const types = {
  '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.json': 'application/json',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.txt': 'text/plain',
};

// telerad's rule (api/viewer_files.cpp, HasContentHash) in short: a dot-separated part of
// 16 hex digits before the extension ("app.bundle.0f6159c501addfe9.js", "37fa160cc3a47cfd.wasm").
const hashed = (file) => /(^|\.)[0-9a-f]{16}\./.test(path.basename(file));

function serveFile(req, res, file) {
  const gz = file + '.gz';
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] || '') && existsSync(gz);
  const sent = gzip ? gz : file;
  const st = statSync(sent);
  const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}${gzip ? '-gz' : ''}"`;
  const headers = { 'Content-Type': types[path.extname(file)] || 'application/octet-stream', ETag: etag,
                    'Cache-Control': hashed(file) && path.basename(file) !== 'index.html'
                      ? 'public, max-age=31536000, immutable' : 'no-cache', Vary: 'Accept-Encoding' };
  if (gzip) headers['Content-Encoding'] = 'gzip';
  if ((req.headers['if-none-match'] || '').split(',').map((t) => t.trim().replace(/^W\//, '')).includes(etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, headers);
  createReadStream(sent).pipe(res);
}

http.createServer((req, res) => {
  const url = new URL(req.url, 'http://proxy');
  if (url.pathname.startsWith('/dicom-web/')) {
    const upstream = http.request({ host: orthanc.hostname, port: orthanc.port, method: req.method,
                                    path: req.url, headers: { ...req.headers, host: orthanc.host } },
                                  (answer) => { res.writeHead(answer.statusCode, answer.headers); answer.pipe(res); });
    upstream.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(upstream);
    return;
  }
  if (url.pathname === '/app-config.js') {
    res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'no-cache' });
    res.end(config);
    return;
  }
  const file = path.join(dist, path.normalize(decodeURIComponent(url.pathname)));
  if (file.startsWith(dist + path.sep) && existsSync(file) && statSync(file).isFile()) return serveFile(req, res, file);
  if (path.extname(url.pathname) === '') return serveFile(req, res, path.join(dist, 'index.html'));
  res.writeHead(404);
  res.end();
}).listen(Number(args.port), '127.0.0.1');
