// Drives Debian's chromium (playwright-core from web/) through the facility's pages
// against a running telerad and reports what it saw as one JSON line on stdout;
// screenshots go to --out. The C++ test tests/integration/browser_pages_test.cpp starts
// the server, sets the studies up through the API and checks the report.
//
//   node pages_inbox.mjs --base http://127.0.0.1:8080 --out DIR --critical UID --other UID
//
// fac1 signs in and lands on its inbox: --critical (reported with a critical finding)
// is on top, marked, with an acknowledge button; fac1 acknowledges it and the mark is
// gone; opens its report page (findings, ICD titles, signature); with print media the
// navigation and the buttons are hidden; sets --other's priority and clinical question
// and is told so; opening that unreported study's report page is refused in words; the
// inbox works at tablet width without sideways scrolling.
import { run, text, visibleIn } from './pages_harness.mjs';

await run(async ({ args, base, password, report, newPage, shot, setPhase }) => {
  const page = await newPage();

  setPhase('inbox');
  await page.goto(base + '/app/inbox');
  await page.waitForSelector('form input[name=username]');
  await page.fill('input[name=username]', 'fac1');
  await page.fill('input[name=password]', password);
  await page.click('form button[type=submit]');
  await page.waitForSelector('[data-loaded] tbody tr');
  report.steps.url = new URL(page.url()).pathname;
  report.steps.title = await text(page, 'h1');
  report.steps.nav = await page.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href')));
  const critical = `[data-loaded] tr[data-study="${args.critical}"]`;
  report.steps.first_row = await page.$eval('[data-loaded] tbody tr', (tr) => tr.dataset.study);
  report.steps.critical_row = await page.$eval(critical, (tr) => ({
    marked: tr.dataset.critical ?? null, badge: tr.querySelector('.badge-critical')?.innerText ?? null,
    status: tr.querySelector('[data-field=status]')?.innerText, reported: tr.querySelector('td:nth-child(6) time')?.innerText ?? null }));
  await shot(page, 'pages-inbox-critical');

  setPhase('acknowledge');
  // By keyboard: the acknowledge button takes the focus and Enter presses it.
  await page.focus(`${critical} [data-action=acknowledge]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${critical}:not([data-critical])`);
  report.steps.acknowledge_notice = await text(page, '[data-notice=action]');
  report.steps.acknowledged_by = await page.evaluate(async (uid) =>
    (await (await fetch(`/api/v1/studies/${uid}/report`)).json()).critical_acknowledged_by, args.critical);

  setPhase('report');
  await page.click(`${critical} [data-action=report]`);
  await page.waitForSelector('[data-report=final] [data-field=signature]');
  report.steps.report_url = new URL(page.url()).pathname;
  report.steps.report = await page.evaluate(() => {
    const field = (name) => document.querySelector(`[data-field=${name}]`)?.innerText ?? null;
    return { facility: field('facility'), patient: field('patient'), findings: field('findings'), impression: field('impression'),
      critical: field('critical'), signature: field('signature'),
      codes: [...document.querySelectorAll('[data-field=codes] li')].map((li) => li.innerText) };
  });
  await shot(page, 'pages-report');
  report.steps.screen = { nav: await visibleIn(page, 'header nav'), print_button: await visibleIn(page, '[data-action=print]') };
  await page.emulateMedia({ media: 'print' });
  report.steps.print = {
    nav: await visibleIn(page, 'header nav'),
    print_button: await visibleIn(page, '[data-action=print]'),
    findings: await visibleIn(page, '[data-field=findings]'),
    colors: await page.evaluate(() => {
      const style = getComputedStyle(document.querySelector('[data-field=findings]'));
      return { color: style.color, background: getComputedStyle(document.body).backgroundColor };
    }),
  };
  await shot(page, 'pages-report-print');
  await page.emulateMedia({ media: 'screen' });

  setPhase('priority');
  await page.goto(base + '/app/inbox');
  const other = `[data-loaded] tr[data-study="${args.other}"]`;
  await page.waitForSelector(`${other} [data-action=edit]`);
  await page.click(`${other} [data-action=edit]`);
  await page.selectOption('[data-form=request] select[name=priority]', 'urgent');
  await page.fill('[data-form=request] textarea[name=clinical_info]', 'Цээжээр өвдөнө, хатгаа сэжиглэж байна');
  await page.click('[data-action=save-request]');
  await page.waitForFunction(() => document.querySelector('[data-notice=action]')?.innerText.length > 0);
  report.steps.priority_notice = await text(page, '[data-notice=action]');
  await page.waitForSelector(`${other} .badge-urgent`);
  report.steps.other_badge = await text(page, `${other} .badge-urgent`);
  report.steps.other_clinical = await text(page, `${other} [data-field=clinical_info]`);
  await shot(page, 'pages-inbox-priority');

  setPhase('unsigned');
  // A study without a signed report: the API answers 404, the page says why in words.
  await page.goto(base + '/app/reports/' + encodeURIComponent(args.other));
  await page.waitForSelector('[data-report=unavailable]');
  report.steps.unsigned_text = await text(page, '[data-report=unavailable]');
  await shot(page, 'pages-report-unsigned');
  await page.goto(base + '/app/inbox');
  await page.waitForSelector('[data-loaded] tbody tr');

  setPhase('tablet');
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.waitForTimeout(200);
  report.steps.tablet_overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await shot(page, 'pages-inbox-tablet');
  await page.context().close();
});
