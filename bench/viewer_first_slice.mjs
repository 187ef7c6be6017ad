// Time from opening a study's viewer URL (the worklist click) to the first CT slice drawn
// in OHIF's viewport, in Debian's chromium (playwright-core from web/), RUNS times, each
// in a fresh browser context (empty cache, as the first study of the day). With --user,
// signs in first (cookie session, as telerad's page does). Prints one JSON line.
//
//   node viewer_first_slice.mjs --base http://127.0.0.1:8080 --path '/viewer?StudyInstanceUIDs=U'
//        [--user rad1 --password P] [--runs 5] [--shot FILE]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { waitForDrawnSlice } from '../tests/browser/viewport_image.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../web/package.json'));
const { chromium } = require('playwright-core');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const runs = Number(args.runs || 5);

const browser = await chromium.launch({
  executablePath: process.env.TELERAD_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
const times = [];
try {
  for (let run = 0; run < runs; ++run) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    if (args.user) {
      await page.goto(args.base + '/healthz');
      const status = await page.evaluate(async ([u, p]) => (await fetch('/api/v1/auth/login', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: u, password: p, cookie: true }),
      })).status, [args.user, args.password || 'telerad-demo']);
      if (status !== 200) throw new Error('login answered ' + status);
    }
    const started = Date.now();
    await page.goto(args.base + args.path);
    const slice = await waitForDrawnSlice(page, 60000);
    if (!slice.drawn) throw new Error('no slice drawn within 60 s: ' + (slice.error || 'uniform canvas'));
    times.push(slice.at - started);
    if (args.shot && run === 0) await page.screenshot({ path: args.shot });
    await context.close();
  }
} finally {
  await browser.close();
}
const sorted = [...times].sort((a, b) => a - b);
console.log(JSON.stringify({ runs_ms: times, median_ms: sorted[Math.floor((sorted.length - 1) / 2)] }));
