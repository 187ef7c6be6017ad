// Drives Debian's chromium (playwright-core from web/, no browser download) through the
// pages against a running telerad, as a radiologist and a ministry user would, and
// reports what it saw as one JSON line on stdout; screenshots go to --out. The C++ test
// tests/integration/browser_pages_test.cpp starts the server and checks the report.
//
//   node pages_worklist.mjs --base http://127.0.0.1:8080 --out DIR --study UID [--password P]
//   node pages_worklist.mjs --base … --out DIR --timing N   (N fresh loads of the worklist)
//
// The day: / sends a stranger to sign in; rad1 signs in and lands on the worklist;
// claims --study and sees it among their own; releases it; switches to English, which
// a reload keeps; a dropped network while refreshing is named with a retry that
// works; an expired session (cookie gone) sends them to sign in and back to the same
// filtered list; signs out. ministry1 opening /app/worklist is refused in words.
// Console errors are collected per phase: the phases that provoke a failed request
// (network drop, expired session) may log the browser's own "Failed to load resource".
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../web/package.json'));
const { chromium } = require('playwright-core');

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const base = args.base;
const out = args.out;
const password = args.password || 'telerad-demo';
mkdirSync(out, { recursive: true });

const report = { console_errors: {}, page_errors: [], failed_responses: [], screenshots: [], steps: {} };
let phase = 'start';
const browser = await chromium.launch({
  executablePath: process.env.TELERAD_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});

async function shot(page, name) {
  const file = path.join(out, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  report.screenshots.push(file);
}

async function newPage(viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: 'mn-MN', timezoneId: 'Asia/Ulaanbaatar' });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    (report.console_errors[phase] ||= []).push(m.text().slice(0, 300));
  });
  page.on('pageerror', (e) => report.page_errors.push(`${phase}: ${String(e).slice(0, 300)}`));
  page.on('response', (r) => {
    if (r.status() >= 400) report.failed_responses.push(`${phase}: ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return { context, page };
}

async function signIn(page, user) {
  await page.waitForSelector('form input[name=username]');
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', password);
  await page.click('form button[type=submit]');
}

const text = (page, selector) => page.locator(selector).first().innerText().catch(() => null);

try {
  if (args.timing) {
    // Cold loads of the worklist (a new browser context each: no cache) by a signed-in
    // radiologist: from the navigation to the first claim button drawn (the list is
    // then on screen and answers clicks), and the page's own marks.
    phase = 'timing';
    const first = await newPage();
    await first.page.goto(base + '/app/signin');
    await signIn(first.page, 'rad1');
    await first.page.waitForSelector('[data-loaded] table tbody tr');
    const cookies = await first.context.cookies();
    await first.context.close();
    const runs = [];
    for (let i = 0; i < Number(args.timing); ++i) {
      const { page, context } = await newPage();
      await context.addCookies(cookies);
      const started = Date.now();
      await page.goto(base + '/app/worklist', { waitUntil: 'commit' });
      await page.waitForSelector('[data-loaded] table tbody tr [data-action=claim]');
      const clickable = Date.now() - started;
      const timing = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const shown = performance.getEntriesByName('telerad:worklist-shown')[0];
        return { dom_interactive_ms: Math.round(nav.domInteractive), list_shown_ms: shown ? Math.round(shown.startTime) : null,
          rows: document.querySelectorAll('[data-loaded] table tbody tr').length };
      });
      runs.push({ ...timing, claim_button_ms: clickable });
      if (i === 0) await shot(page, 'pages-worklist-10000');
      await context.close();
    }
    report.timing = runs;
  } else {
    // A stranger at the origin's root is sent to sign in, remembering where they were.
    phase = 'sign-in';
    const { page, context } = await newPage();
    await page.goto(base + '/');
    await page.waitForSelector('form input[name=username]');
    report.steps.signin_url = new URL(page.url()).pathname + new URL(page.url()).search;
    report.steps.signin_lang = await page.evaluate(() => document.documentElement.lang);
    report.steps.signin_focus = await page.evaluate(() => document.activeElement?.getAttribute('name'));
    await shot(page, 'pages-signin');
    // A wrong password is said in words, in the page.
    await page.fill('input[name=username]', 'rad1');
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-problem=wrong-password]');
    report.steps.wrong_password_text = await text(page, '[data-problem=wrong-password]');
    phase = 'worklist';
    await signIn(page, 'rad1');
    await page.waitForSelector('[data-loaded]');
    report.steps.after_signin_url = new URL(page.url()).pathname;
    report.steps.header = await page.evaluate(() => {
      const who = document.querySelector('.who');
      return { user: who?.dataset.user, role: who?.dataset.role, text: who?.innerText,
        nav: [...document.querySelectorAll('header nav a')].map((a) => a.getAttribute('href')) };
    });
    report.steps.title = await text(page, 'h1');
    // On a freshly loaded page, the keyboard's first stop is the skip link.
    await page.reload();
    await page.waitForSelector('[data-loaded]');
    await page.keyboard.press('Tab');
    report.steps.first_tab_focus = await page.evaluate(() => document.activeElement?.className);
    const row = `[data-loaded] tr[data-study="${args.study}"]`;
    await page.waitForSelector(row);
    report.steps.row = await page.evaluate((sel) => {
      const tr = document.querySelector(sel);
      return { classes: tr.className, badge: tr.querySelector('.badge')?.innerText, sla: tr.querySelector('.sla')?.dataset.sla,
        sla_text: tr.querySelector('.sla')?.innerText, received: tr.querySelector('time')?.innerText,
        viewer_href: tr.querySelector('[data-action=open]')?.getAttribute('href') };
    }, row);
    report.steps.badges = await page.$$eval('[data-loaded] tbody .badge', (b) => b.map((x) => x.innerText));
    // What this chromium's Intl knows of Mongolian (the pages format dates themselves).
    report.steps.intl = await page.evaluate(() => ({
      mn_supported: Intl.DateTimeFormat.supportedLocalesOf(['mn']),
      may31: new Intl.DateTimeFormat('mn-MN', { dateStyle: 'long', timeZone: 'Asia/Ulaanbaatar' }).format(new Date(Date.UTC(2025, 4, 31, 4))),
    }));
    await shot(page, 'pages-worklist');

    phase = 'claim';
    await page.click(`${row} [data-action=claim]`);
    await page.waitForSelector(`.mine-section tr[data-study="${args.study}"] [data-action=release]`);
    report.steps.claim_notice = await text(page, '[data-notice=action]');
    report.steps.claimed_by = await page.evaluate(async (uid) => (await (await fetch('/api/v1/studies/' + uid)).json()).claimed_by, args.study);
    await shot(page, 'pages-claimed');

    phase = 'release';
    await page.click(`.mine-section tr[data-study="${args.study}"] [data-action=release]`);
    await page.waitForSelector(`.mine-section tr[data-study="${args.study}"]`, { state: 'detached' });
    await page.waitForSelector(`${row} [data-action=claim]`);
    report.steps.release_notice = await text(page, '[data-notice=action]');
    report.steps.status_after_release = await page.evaluate(async (uid) => (await (await fetch('/api/v1/studies/' + uid)).json()).status, args.study);

    phase = 'language';
    await page.click('.lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    report.steps.english_title = await text(page, 'h1');
    await page.reload();
    await page.waitForSelector('[data-loaded]');
    report.steps.english_after_reload = await text(page, 'h1');
    await shot(page, 'pages-worklist-en');
    await page.click('.lang-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'mn');

    phase = 'tablet';
    const tablet = await newPage({ width: 820, height: 1180 });
    await tablet.context.addCookies(await context.cookies());
    await tablet.page.goto(base + '/app/worklist');
    await tablet.page.waitForSelector('[data-loaded]');
    report.steps.tablet_overflow = await tablet.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    await shot(tablet.page, 'pages-worklist-tablet');
    await tablet.context.close();

    phase = 'network-drop';
    await page.route('**/api/v1/worklist**', (r) => r.abort('internetdisconnected'));
    await page.click('[data-action=refresh]');
    await page.waitForSelector('[data-problem=outage], [data-problem=offline]');
    report.steps.outage = { text: await text(page, '[role=alert]'), list_kept: await page.locator(row).count() === 1,
      retry: await page.locator('[role=alert] button').count() };
    await shot(page, 'pages-network-drop');
    await page.unroute('**/api/v1/worklist**');
    await page.click('[role=alert] button');
    await page.waitForSelector('[role=alert]', { state: 'detached' });
    report.steps.outage.recovered = true;

    phase = 'expired';
    await page.goto(base + '/app/worklist?modality=CT');
    await page.waitForSelector('[data-loaded]');
    await context.clearCookies();
    await page.click('[data-action=refresh]');
    await page.waitForSelector('[data-notice=expired]');
    report.steps.expired = { url: new URL(page.url()).pathname + new URL(page.url()).search, text: await text(page, '[data-notice=expired]') };
    await shot(page, 'pages-session-expired');
    await signIn(page, 'rad1');
    await page.waitForSelector('[data-loaded]');
    report.steps.expired.back_to = new URL(page.url()).pathname + new URL(page.url()).search;
    report.steps.expired.modality_kept = await page.$eval('select[name=modality]', (s) => s.value);

    phase = 'sign-out';
    await page.click('[data-action=sign-out]');
    await page.waitForSelector('[data-notice=signed-out]');
    report.steps.signed_out = { url: new URL(page.url()).pathname, session: await page.evaluate(async () => (await (await fetch('/api/v1/auth/session')).json()).signed_in) };
    await shot(page, 'pages-signed-out');
    await context.close();

    phase = 'ministry';
    const ministry = await newPage();
    await ministry.page.goto(base + '/app/worklist');
    await signIn(ministry.page, 'ministry1');
    await ministry.page.waitForSelector('[data-refused]');
    report.steps.ministry = {
      url: new URL(ministry.page.url()).pathname,
      text: await text(ministry.page, '[data-refused]'),
      nav: await ministry.page.$$eval('header nav a', (a) => a.map((x) => x.getAttribute('href'))),
      role: await ministry.page.$eval('.who', (w) => w.dataset.role),
    };
    await shot(ministry.page, 'pages-ministry-refused');
    await ministry.context.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
