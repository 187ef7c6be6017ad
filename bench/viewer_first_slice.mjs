// Time from opening a study's viewer URL (the worklist click) to the first CT slice drawn
// in OHIF's viewport, in Debian's chromium (playwright-core from web/), RUNS times, each
// in a fresh browser context (empty cache, as the first study of the day). With --user,
// signs in first (cookie session, as telerad's page does). Then, in the same context, the
// URL is opened again in a new page (the radiologist's next study: the app's files come
// from the browser's cache, immutable ones without asking; DICOMweb answers are fetched
// again); that time is the warm figure. Prints one JSON line: runs_ms and median_ms
// (cold), warm_runs_ms and warm_median_ms.
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
// Opens `url` in a new page of `context` and waits for the drawn slice: the time in ms.
async function timeFirstSlice(context, url, shot) {
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(url);
  const slice = await waitForDrawnSlice(page, 60000);
  if (!slice.drawn) throw new Error('no slice drawn within 60 s: ' + (slice.error || 'uniform canvas'));
  if (shot) await page.screenshot({ path: shot });
  await page.close();
  return slice.at - started;
}

const times = [];
const warmTimes = [];
try {
  for (let run = 0; run < runs; ++run) {
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
    times.push(await timeFirstSlice(context, args.base + args.path, run === 0 ? args.shot : undefined));
    warmTimes.push(await timeFirstSlice(context, args.base + args.path));
    await context.close();
  }
} finally {
  await browser.close();
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
console.log(JSON.stringify({ runs_ms: times, median_ms: median(times), warm_runs_ms: warmTimes,
                             warm_median_ms: median(warmTimes) }));
