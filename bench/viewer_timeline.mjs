// Where the time of bench/viewer_first_slice.mjs goes: opens a study's viewer URL once
// in a fresh browser context (empty cache; with --warm, a second time in the same context
// after a first opening) and prints one JSON object: every request with its start,
// response and end (ms from the navigation), kind and bytes on the wire, sums per kind,
// the main thread's script and task time (CDP Performance.getMetrics) and the moment the
// viewport's canvas first shows a non-uniform image, seen from inside the page (a 16x16
// copy of the canvas every 50 ms, so the figure carries no screenshot delay).
//
//   node viewer_timeline.mjs --base http://127.0.0.1:8080 --path '/viewer?StudyInstanceUIDs=U'
//        [--user rad1 --password P] [--warm 1] [--requests 1]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../web/package.json'));
const { chromium } = require('playwright-core');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));

// Installed before any script of the page: records performance.now() of the first check
// (every 50 ms, as viewport_image.mjs polls; each check reads the canvas back, which costs
// the page's main thread, so not every animation frame) in which cornerstone's canvas is
// non-uniform (stddev of grey > 10, the threshold of tests/browser/viewport_image.mjs).
function watchFirstDrawnCanvas() {
  const probe = document.createElement('canvas');
  probe.width = probe.height = 16;
  const check = () => {
    const canvas = document.querySelector('canvas.cornerstone-canvas');
    if (canvas && canvas.width > 0) {
      const ctx = probe.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(canvas, 0, 0, 16, 16);
      const { data } = ctx.getImageData(0, 0, 16, 16);
      let sum = 0, sumSq = 0;
      for (let i = 0; i < data.length; i += 4) {
        const grey = (data[i] + data[i + 1] + data[i + 2]) / 3;
        sum += grey;
        sumSq += grey * grey;
      }
      const mean = sum / 256;
      if (Math.sqrt(Math.max(0, sumSq / 256 - mean * mean)) > 10) {
        window.__firstDrawnAt = performance.now();
        return;
      }
    }
    setTimeout(check, 50);
  };
  setTimeout(check, 50);
}

// A DICOMweb path with its long UIDs cut to their last 6 characters.
function shortPath(url) {
  return new URL(url).pathname.split('/').map((s) => (s.length > 24 ? '…' + s.slice(-6) : s)).join('/');
}

// CPU time (user + system, ms) used so far by process `root` and its descendants, from
// /proc (Linux): what the browser's processes (renderer, GPU, network, workers' renderer)
// spent, a figure that depends less on what else the machine runs than wall time does.
function treeCpuMs(root) {
  const children = new Map();
  const ticks = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const parent = Number(fields[1]);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(name));
      ticks.set(Number(name), Number(fields[11]) + Number(fields[12]));
    } catch { /* the process ended meanwhile */ }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    total += ticks.get(pid) || 0;
    stack.push(...(children.get(pid) || []));
  }
  return total * 10;  // USER_HZ is 100 on Linux
}

function kindOf(url, type) {
  const p = new URL(url).pathname;
  if (type === 'Document') return 'document';
  if (p === '/app-config.js') return 'app-config';
  if (/\/frames\//.test(p)) return 'frame';
  if (/\/metadata$/.test(p)) return 'metadata';
  if (/\/(rendered|thumbnail)$/.test(p)) return 'rendered';
  if (/^\/(dicomweb|dicom-web)\//.test(p)) return 'qido';
  if (p.endsWith('.wasm')) return 'wasm';
  if (p.endsWith('.js')) return 'script';
  if (p.endsWith('.css')) return 'css';
  return 'other';
}

async function openOnce(context, url, browserPid) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Performance.enable');
  const requests = new Map();
  let origin = null;  // CDP's monotonic seconds at the navigation's request
  cdp.on('Network.requestWillBeSent', (e) => {
    if (origin === null && e.type === 'Document') origin = e.timestamp;
    requests.set(e.requestId, { url: e.request.url, type: e.type, start: e.timestamp });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { status: e.response.status, response: e.timestamp,
                              cached: e.response.fromDiskCache || e.response.fromMemoryCache,
                              encoding: e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength });
  });
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(m.text().slice(0, 120)));
  await page.addInitScript(watchFirstDrawnCanvas);
  const started = Date.now();
  const cpuBefore = treeCpuMs(browserPid);
  await page.goto(url);
  await page.waitForFunction(() => window.__firstDrawnAt !== undefined, null, { timeout: 60000, polling: 100 });
  const wall = Date.now() - started;
  const cpu = treeCpuMs(browserPid) - cpuBefore;
  const drawnAt = await page.evaluate(() => window.__firstDrawnAt);
  const navStart = await page.evaluate(() => performance.timeOrigin);
  const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const ms = (t) => (t === undefined ? null : Math.round((t - origin) * 1000));
  const list = [...requests.values()].filter((r) => !r.url.startsWith('data:')).map((r) => ({
    kind: kindOf(r.url, r.type), path: shortPath(r.url), status: r.status ?? null,
    start_ms: ms(r.start), response_ms: ms(r.response), end_ms: ms(r.end), bytes: r.bytes ?? 0,
    cached: !!r.cached, gzip: r.encoding === 'gzip',
  }));
  const byKind = {};
  for (const r of list) {
    const k = (byKind[r.kind] ??= { count: 0, bytes: 0, first_start_ms: r.start_ms, last_end_ms: r.end_ms, cached: 0 });
    k.count += 1;
    k.bytes += r.bytes;
    k.cached += r.cached ? 1 : 0;
    k.first_start_ms = Math.min(k.first_start_ms, r.start_ms);
    k.last_end_ms = Math.max(k.last_end_ms ?? 0, r.end_ms ?? 0);
  }
  await page.close();
  return {
    wall_ms: wall,
    browser_cpu_ms: cpu,
    drawn_ms: Math.round(drawnAt),
    time_origin: navStart,
    main_thread: { script_ms: Math.round(metrics.ScriptDuration * 1000), task_ms: Math.round(metrics.TaskDuration * 1000),
                   layout_ms: Math.round(metrics.LayoutDuration * 1000), js_heap_mb: Math.round(metrics.JSHeapUsedSize / 1048576) },
    by_kind: byKind,
    console: args.requests ? consoleLines : undefined,
    requests: args.requests ? list.sort((a, b) => a.start_ms - b.start_ms) : undefined,
  };
}

const server = await chromium.launchServer({
  executablePath: process.env.TELERAD_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
const browserPid = server.process().pid;
const browser = await chromium.connect(server.wsEndpoint());
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (args.user) {
    const page = await context.newPage();
    await page.goto(args.base + '/healthz');
    const status = await page.evaluate(async ([u, p]) => (await fetch('/api/v1/auth/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: u, password: p, cookie: true }),
    })).status, [args.user, args.password || 'telerad-demo']);
    if (status !== 200) throw new Error('login answered ' + status);
    await page.close();
  }
  const cold = await openOnce(context, args.base + args.path, browserPid);
  const result = { load_average: readFileSync('/proc/loadavg', 'utf8').split(' ')[0], cold };
  if (args.warm) result.warm = await openOnce(context, args.base + args.path, browserPid);
  console.log(JSON.stringify(result, null, 1));
} finally {
  await browser.close();
  await server.close();
}
