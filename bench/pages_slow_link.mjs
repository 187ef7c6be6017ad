// The pages on a rural link: opens a page of telerad's (default the worklist) in Debian's
// chromium with the network throttled by Chrome's own emulation (CDP
// Network.emulateNetworkConditions: default 1 Mbit/s down, 256 kbit/s up, 300 ms round
// trip, a soum hospital's ADSL or 3G) and prints one JSON object: for a cold load (cache
// disabled, as on the first visit) and a warm one (the same browser again: the hashed
// assets are cached for a year, index.html and the API revalidate), the time from the
// navigation until `--ready` is on screen, the bytes on the wire, the requests.
//
//   node pages_slow_link.mjs --base http://127.0.0.1:8080 [--user rad1 --password P]
//        [--path /app/worklist] [--ready '[data-loaded] tbody tr'] [--runs 3]
//        [--down-kbps 1000 --up-kbps 256 --rtt-ms 300]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../web/package.json'));
const { chromium } = require('playwright-core');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const base = args.base;
const user = args.user || 'rad1';
const password = args.password || 'telerad-demo';
const target = args.path || '/app/worklist';
const ready = args.ready || '[data-loaded] tbody tr';
const runs = Number(args.runs || 3);
const link = {
  offline: false,
  latency: Number(args['rtt-ms'] || 300),
  downloadThroughput: (Number(args['down-kbps'] || 1000) * 1000) / 8,
  uploadThroughput: (Number(args['up-kbps'] || 256) * 1000) / 8,
};

const browser = await chromium.launch({ executablePath: process.env.TELERAD_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });

// One navigation to `target` on the throttled link; the bytes are what the network
// layer received (encodedDataLength: headers and compressed bodies).
async function load(page, cdp, cacheDisabled) {
  await cdp.send('Network.setCacheDisabled', { cacheDisabled });
  let bytes = 0;
  let requests = 0;
  const finished = (event) => {
    bytes += event.encodedDataLength;
    requests += 1;
  };
  cdp.on('Network.loadingFinished', finished);
  const begin = Date.now();
  await page.goto(base + target);
  await page.waitForSelector(ready, { timeout: 120000 });
  const ms = Date.now() - begin;
  await page.waitForLoadState('networkidle').catch(() => {});
  cdp.off('Network.loadingFinished', finished);
  return { ms, kib: Math.round(bytes / 102.4) / 10, requests };
}

const results = { link: { down_kbps: link.downloadThroughput * 8 / 1000, up_kbps: link.uploadThroughput * 8 / 1000, rtt_ms: link.latency }, path: target, cold: [], warm: [] };
try {
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext({ locale: 'mn-MN', timezoneId: 'Asia/Ulaanbaatar' });
    const signedIn = await context.request.post(base + '/api/v1/auth/login', {
      data: { username: user, password, cookie: true }, headers: { 'X-Requested-With': 'telerad' } });
    if (!signedIn.ok()) throw new Error(`sign-in as ${user}: ${signedIn.status()}`);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', link);
    results.cold.push(await load(page, cdp, true));
    results.warm.push(await load(page, cdp, false));
    await context.close();
  }
} finally {
  await browser.close();
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
for (const kind of ['cold', 'warm'])
  results[`${kind}_median`] = { ms: median(results[kind].map((r) => r.ms)), kib: median(results[kind].map((r) => r.kib)) };
console.log(JSON.stringify(results));
