// What every pages_*.mjs browser script shares: the arguments, Debian's chromium
// (playwright-core from web/), the report printed as one JSON line on stdout (console
// errors and failed requests by phase, page errors, screenshots, the script's own steps),
// screenshots kept in --out, and signing in through the sign-in page.
//
//   import { run } from './pages_harness.mjs';
//   await run(async ({ args, base, report, newPage, shot, signIn, setPhase }) => { ... });
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../web/package.json'));
const { chromium } = require('playwright-core');

// --name value pairs; a flag without a value is "true".
export function parseArgs(argv = process.argv.slice(2)) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) continue;
    const next = argv[i + 1];
    args[argv[i].slice(2)] = next === undefined || next.startsWith('--') ? 'true' : next;
  }
  return args;
}

export const visibleIn = (page, selector) => page.locator(selector).first().isVisible().catch(() => false);
export const text = (page, selector) => page.locator(selector).first().innerText().catch(() => null);

// Runs `script` with a fresh browser and prints the report, whatever happens: an
// exception becomes report.error ("phase: message"), which the C++ test fails on.
export async function run(script) {
  const args = parseArgs();
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

  // A page in a context of its own (its own cookies: one signed-in user), in Mongolian,
  // Ulaanbaatar time, watched for console errors, script errors and failed requests.
  async function newPage(viewport = { width: 1280, height: 800 }) {
    const context = await browser.newContext({ viewport, locale: 'mn-MN', timezoneId: 'Asia/Ulaanbaatar' });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') (report.console_errors[phase] ||= []).push(m.text().slice(0, 300));
    });
    page.on('pageerror', (e) => report.page_errors.push(`${phase}: ${String(e).slice(0, 300)}`));
    page.on('response', (r) => {
      if (r.status() >= 400) report.failed_responses.push(`${phase}: ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    return page;
  }

  async function shot(page, name) {
    const file = path.join(out, name + '.png');
    await page.screenshot({ path: file, fullPage: true });
    report.screenshots.push(file);
  }

  // Opens `pathname`, is sent to the sign-in page, signs in as `user` and waits to be
  // back on `pathname` (the sign-in page returns to the page asked for).
  async function signIn(page, user, pathname, userPassword = password) {
    await page.goto(base + pathname);
    await page.waitForSelector('form input[name=username]');
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', userPassword);
    await page.click('form button[type=submit]');
    await page.waitForSelector('header [data-user]');
  }

  try {
    await script({ args, base, password, report, newPage, shot, signIn, setPhase: (p) => (phase = p) });
  } catch (error) {
    report.error = `${phase}: ${String(error).slice(0, 500)}`;
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(report));
}
