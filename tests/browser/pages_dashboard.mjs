// Drives Debian's chromium through the ministry's KPI dashboard against a running telerad
// holding the demo half-year, and reports what it saw as one JSON line on stdout (see
// pages_harness.mjs); screenshots go to --out. The C++ test
// tests/integration/browser_dashboard_test.cpp loads the demo, starts the server and
// checks the report against the API.
//
//   node pages_dashboard.mjs --base http://127.0.0.1:8080 --out DIR
//
// rad1 opening /app/dashboard is refused in words (and downloads no chart code);
// ministry1 signs in and lands on the dashboard, picks 2025H1 (the URL follows), reads
// the figures, the half-year table, the four charts (drawn) and their numbers, downloads
// the CSV; picks a range of months (URL and figures follow) and goes back; the page in
// English; at tablet width without sideways scrolling; the page's whole text for the
// C++ test to look for patient data in.
import { readFileSync } from 'node:fs';
import { run, text } from './pages_harness.mjs';

const scripts = (page) =>
  page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname).filter((p) => p.endsWith('.js')));

// What the dashboard shows once every chart is drawn.
async function readDashboard(page) {
  await page.waitForSelector('.dashboard .kpi-figures');
  await page.waitForFunction(() => {
    const canvases = [...document.querySelectorAll('.kpi-chart canvas')];
    return canvases.length === 4 && canvases.every((c) => c.dataset.drawn === 'true');
  });
  return page.evaluate(() => {
    const figures = {};
    for (const f of document.querySelectorAll('[data-figure]')) figures[f.dataset.figure] = f.querySelector('dd').textContent;
    const report = {};
    for (const row of document.querySelectorAll('.kpi-report tr[data-indicator]')) {
      const cell = (field) => row.querySelector(`[data-field=${field}]`).textContent;
      const progress = row.querySelector('progress');
      report[row.dataset.indicator] = {
        label: row.querySelector('th').textContent,
        baseline: cell('baseline'),
        target: cell('target'),
        achieved: cell('achieved'),
        percent: cell('percent'),
        progress: progress ? Number(progress.value) : null,
      };
    }
    // Each chart: its caption, the canvas's size, and its numbers table as
    // {series: {category: value}}.
    const charts = {};
    for (const figure of document.querySelectorAll('[data-chart]')) {
      const heads = [...figure.querySelectorAll('thead th')].map((th) => th.textContent).slice(1);
      const series = Object.fromEntries(heads.map((h) => [h, {}]));
      for (const tr of figure.querySelectorAll('tbody tr')) {
        const category = tr.querySelector('th').textContent;
        [...tr.querySelectorAll('td')].forEach((td, i) => (series[heads[i]][category] = td.dataset.value === '' ? null : Number(td.dataset.value)));
      }
      const canvas = figure.querySelector('canvas');
      charts[figure.dataset.chart] = {
        caption: figure.querySelector('figcaption').textContent,
        width: canvas.width,
        height: canvas.height,
        label: canvas.getAttribute('aria-labelledby'),
        series,
      };
    }
    return {
      url: location.pathname + location.search,
      title: document.querySelector('h1').textContent,
      period: document.querySelector('[data-period]').dataset.period,
      figures,
      report,
      report_note: document.querySelector('.kpi-no-report')?.textContent ?? null,
      csv_button: !!document.querySelector('[data-action=csv]'),
      charts,
    };
  });
}

await run(async ({ base, report, newPage, shot, signIn, setPhase }) => {
  setPhase('radiologist');
  const rad = await newPage();
  await signIn(rad, 'rad1', '/app/dashboard');
  await rad.waitForSelector('[data-refused]');
  report.steps.radiologist = {
    url: new URL(rad.url()).pathname,
    text: await text(rad, '[data-refused]'),
    nav: await rad.$$eval('header nav a', (a) => a.map((x) => x.getAttribute('href'))),
    scripts: await scripts(rad),
  };
  await shot(rad, 'pages-dashboard-refused');
  await rad.context().close();

  setPhase('dashboard');
  const page = await newPage();
  await signIn(page, 'ministry1', '/app');
  await page.waitForSelector('.dashboard');
  report.steps.landing = {
    url: new URL(page.url()).pathname + new URL(page.url()).search,
    nav: await page.$$eval('header nav a', (a) => a.map((x) => x.getAttribute('href'))),
    current: await page.$eval('header nav a[aria-current=page]', (a) => a.getAttribute('href')).catch(() => null),
    period: await page.$eval('select[name=period]', (s) => s.value),
  };
  await page.selectOption('select[name=period]', '2025H1');
  await page.waitForSelector('.kpi-report[data-report="2025H1"]');
  report.steps.h1 = await readDashboard(page);
  report.steps.h1.scripts = await scripts(page);
  await shot(page, 'pages-dashboard-2025H1');

  setPhase('csv');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-action=csv]')]);
  report.steps.csv = {
    filename: download.suggestedFilename(),
    content: readFileSync(await download.path()).toString('utf8'),
  };

  setPhase('months');
  await page.fill('input[name=from]', '2025-02');
  await page.fill('input[name=to]', '2025-04');
  await page.click('.kpi-months button[type=submit]');
  await page.waitForURL((url) => url.search === '?from=2025-02&to=2025-04');
  await page.waitForSelector('.kpi-no-report');
  report.steps.months = await readDashboard(page);
  report.steps.months.select = await page.$eval('select[name=period]', (s) => s.value);
  await shot(page, 'pages-dashboard-months');
  await page.goBack();
  await page.waitForSelector('.kpi-report[data-report="2025H1"]');
  report.steps.back = await readDashboard(page);

  setPhase('english');
  await page.click('.lang-switch');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'KPI dashboard');
  report.steps.english = await readDashboard(page);
  await page.click('.lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'mn');

  setPhase('tablet');
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.waitForTimeout(300); // Chart.js redraws on resize
  report.steps.tablet_overflow = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  // Every chart's numbers opened (as for print), for the screenshot and the text.
  await page.$$eval('.dashboard details', (all) => all.forEach((d) => (d.open = true)));
  report.steps.tablet_overflow_open = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
  await shot(page, 'pages-dashboard-tablet');
  report.steps.page_text = await page.evaluate(() => document.body.innerText); // the numbers tables are open
  await page.context().close();
});
