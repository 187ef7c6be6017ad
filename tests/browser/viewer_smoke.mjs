// Drives Debian's chromium (playwright-core from web/, no browser download) against a
// running telerad: signs in from the page with a session cookie, reads the worklist,
// opens the first study's viewer_url, and reports what it saw as one JSON line on
// stdout; screenshots go to --out. The C++ test tests/integration/browser_viewer_test.cpp
// starts the server and checks the report.
//
//   node viewer_smoke.mjs --base http://127.0.0.1:8080 --out DIR [--user rad1 --password P]
//        [--open /viewer?StudyInstanceUIDs=UID] [--shots NAME [--draw-timeout-ms 60000]]
// --open: the viewer path to open instead of the worklist's first viewer_url (a study the
// user may not see). --shots NAME: the image checks; screenshots NAME.png of the viewer
// once a slice is drawn and NAME-scrolled.png after a mouse-wheel scroll over it, with
// statistics of the viewport canvas (from the screenshot) in report.image.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { scrollAndWaitForChange, waitForDrawnSlice } from './viewport_image.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../web/package.json'));
const { chromium } = require('playwright-core');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const base = args.base;
const out = args.out;
const user = args.user || 'rad1';
const password = args.password || 'telerad-demo';
const shots = args.shots;
const drawTimeoutMs = Number(args['draw-timeout-ms'] || 60000);
mkdirSync(out, { recursive: true });

const report = { dicomweb_requests: [], console_errors: [], screenshots: [] };
const browser = await chromium.launch({
  executablePath: process.env.TELERAD_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/dicomweb')) report.dicomweb_requests.push(url.pathname + url.search);
  });
  // Studies the viewer was told about by QIDO (its own study and the patient's priors).
  report.qido_study_uids = [];
  report.failed_responses = [];
  // The series thumbnails: JPEGs telerad renders (app-config's thumbnailRendering).
  report.thumbnails = [];
  page.on('response', async (r) => {
    const url = new URL(r.url());
    if (r.status() >= 400) report.failed_responses.push(`${r.status()} ${r.request().method()} ${url.pathname}`);
    if (url.pathname.startsWith('/dicomweb/') && url.pathname.endsWith('/rendered'))
      report.thumbnails.push({ status: r.status(), type: r.headers()['content-type'] || '' });
    if (url.pathname !== '/dicomweb/studies' || r.status() !== 200) return;
    const body = await r.json().catch(() => []);
    for (const study of body) {
      const uid = study?.['0020000D']?.Value?.[0];
      if (uid && !report.qido_study_uids.includes(uid)) report.qido_study_uids.push(uid);
    }
  });
  page.on('console', (m) => { if (m.type() === 'error') report.console_errors.push(m.text().slice(0, 200)); });

  // Sign in from a page of the origin, as the viewer's own page would.
  await page.goto(base + '/healthz');
  report.login = await page.evaluate(async ([u, p]) => {
    const r = await fetch('/api/v1/auth/login', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: u, password: p, cookie: true }),
    });
    const body = await r.json();
    return { status: r.status, role: body.role, token_in_body: typeof body.token === 'string' };
  }, [user, password]);
  const cookies = await context.cookies(base);
  const session = cookies.find((c) => c.name === 'telerad_session');
  report.cookie = session ? { httpOnly: session.httpOnly, sameSite: session.sameSite, path: session.path } : null;
  report.script_sees_cookie = await page.evaluate(() => document.cookie.includes('telerad_session'));

  // The worklist with the cookie alone (fetch sends same-origin cookies).
  report.worklist = await page.evaluate(async () => {
    const r = await fetch('/api/v1/worklist');
    const body = await r.json();
    return { status: r.status, count: (body.items || []).length, viewer_url: body.items?.[0]?.viewer_url };
  });
  report.csrf_refusal = await page.evaluate(async () => {
    const r = await fetch('/api/v1/auth/logout', { method: 'POST' });
    return { status: r.status, code: (await r.json()).error?.code };
  });

  const started = Date.now();
  await page.goto(base + (args.open || report.worklist.viewer_url), { waitUntil: 'load' });
  if (shots) report.image = await checkImage(page, started, shots);
  // OHIF asks /dicomweb for the study first; wait for that (or give up after 60 s).
  if (!report.dicomweb_requests.length) await page.waitForRequest((r) => new URL(r.url()).pathname.startsWith('/dicomweb/studies'), { timeout: 60000 })
    .catch(() => {});
  await page.waitForTimeout(3000);
  report.viewer_ms_to_first_dicomweb_request = report.dicomweb_requests.length ? Date.now() - started : null;
  report.app = await page.evaluate(() => ({
    qidoRoot: window.config?.dataSources?.[0]?.configuration?.qidoRoot ?? null,
    root_children: document.querySelector('#root')?.childElementCount ?? 0,
    text: document.body.innerText.slice(0, 300),
    title: document.title,
  }));
  const viewerShot = path.join(out, (shots || 'viewer') + '-page.png');
  await page.screenshot({ path: viewerShot });
  report.screenshots.push(viewerShot);

  await page.goto(base + '/', { waitUntil: 'load' });
  await page.waitForTimeout(3000);
  const listShot = path.join(out, 'study-list.png');
  await page.screenshot({ path: listShot });
  report.screenshots.push(listShot);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));

// Waits for a drawn slice, screenshots the page, scrolls one slice with the mouse wheel
// over the viewport and waits for the drawn image to change; screenshots again.
async function checkImage(page, started, name) {
  const first = await waitForDrawnSlice(page, drawTimeoutMs);
  const result = { drawn: first.drawn, scrolled_changed: false, error: first.error };
  if (first.drawn) result.ms_to_first_slice = first.at - started;
  result.first = { width: first.width, height: first.height, mean: first.mean, stddev: first.stddev };
  const shot = path.join(out, name + '.png');
  await page.screenshot({ path: shot });
  report.screenshots.push(shot);
  if (!first.drawn) return result;
  result.scrolled = await scrollAndWaitForChange(page, first, 10000);
  result.scrolled_changed = result.scrolled.changed;
  const scrolledShot = path.join(out, name + '-scrolled.png');
  await page.screenshot({ path: scrolledShot });
  report.screenshots.push(scrolledShot);
  return result;
}
