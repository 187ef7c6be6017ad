// Drives Debian's chromium (playwright-core from web/) through the study page against a
// running telerad and reports what it saw as one JSON line on stdout; screenshots go to
// --out. tests/integration/browser_pages_test.cpp prepares the studies and checks it.
//
//   node pages_study.mjs --base http://127.0.0.1:8080 --out DIR --study UID --prior UID [--password P]
//
// rad1 signs in, opens --study from its worklist row with the keyboard, sees the
// patient, a series thumbnail the server rendered, the prior study --prior with its
// signed impression; opens the viewer link (only its URL is checked, nothing drawn);
// opens the prior and reads its signed report; the same page at tablet width.
import { run, text } from './pages_harness.mjs';

const fact = (page, name) => text(page, `[data-fact=${name}] dd`);

await run(async ({ args, password, base, report, newPage, shot, setPhase }) => {
  const { study, prior } = args;
  const steps = report.steps;
  setPhase('sign-in');
  const page = await newPage();
  await page.goto(base + '/app/signin?next=%2Fapp%2Fworklist');
  await page.waitForSelector('form input[name=username]');
  await page.fill('input[name=username]', 'rad1');
  await page.fill('input[name=password]', password);
  await page.click('form button[type=submit]');

  setPhase('open-from-worklist');
  const link = page.locator(`tr[data-study="${study}"] a[data-action=study]`).first();
  await link.waitFor();
  // By keyboard: the row's link takes focus and Enter opens the study.
  await link.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/app/studies/${study}`);
  steps.url = new URL(page.url()).pathname;
  await page.waitForSelector('[data-fact=patient_id]');
  steps.title = await text(page, '#study-title');
  steps.patient_id = await fact(page, 'patient_id');
  steps.birth_date = await fact(page, 'birth_date');
  steps.facility = await fact(page, 'facility');
  steps.status = await fact(page, 'status');
  steps.sla = await page.locator('[data-fact=sla] [data-sla]').first().getAttribute('data-sla').catch(() => null);

  setPhase('thumbnail');
  const thumbnail = page.locator('.series-list img').first();
  await thumbnail.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => {
    const img = document.querySelector('.series-list img');
    return img && img.complete && img.naturalWidth > 0;
  }, null, { timeout: 15000 }).catch(() => {});
  steps.thumbnail = await thumbnail.evaluate((img) => ({ src: new URL(img.src).pathname + new URL(img.src).search, loading: img.loading, natural_width: img.naturalWidth, alt: img.alt }));
  steps.series_count = await page.locator('.series-list li').count();

  setPhase('priors');
  await page.waitForSelector('[data-priors=loaded]');
  steps.priors = await page.locator('[data-prior]').evaluateAll((items) =>
    items.map((li) => ({ uid: li.dataset.prior, impression: li.querySelector('[data-impression]')?.dataset.impression, text: li.innerText })));
  await page.waitForSelector('[data-report]:not([data-report=loading])');
  steps.report_state = await page.locator('[data-report]').getAttribute('data-report');
  steps.editor_place = await page.locator('[data-editor]').count();
  await shot(page, 'pages-study');

  setPhase('claim');
  await page.click('[data-action=claim]');
  await page.waitForSelector('[data-action=release]');
  steps.claim = await fact(page, 'claim');
  steps.editor_place_after_claim = await page.locator('[data-editor]').count();
  await page.click('[data-action=release]');
  await page.waitForSelector('[data-action=claim]');
  steps.status_after_release = await fact(page, 'status');

  setPhase('viewer-link');
  steps.viewer_href = await page.locator('[data-action=open]').getAttribute('href');
  const [popup] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-action=open]')]);
  await popup.waitForURL('**/viewer**', { timeout: 15000 }).catch(() => {});
  const opened = new URL(popup.url());
  steps.viewer_opened = opened.pathname + opened.search;
  await popup.close();

  setPhase('prior');
  await page.click(`[data-prior="${prior}"] a`);
  await page.waitForURL(`**/app/studies/${prior}`);
  await page.waitForSelector('[data-report=final] [data-codes]');
  await page.waitForFunction(() => document.querySelector('[data-codes] li')?.innerText.includes('—'), null, { timeout: 5000 }).catch(() => {});
  steps.prior_report = {
    impression: await text(page, '.report-final h3:nth-of-type(2) + p'),
    codes: await text(page, '[data-codes]'),
    signed: await text(page, '.report-final footer'),
    editor_place: await page.locator('[data-editor]').count(),
  };

  setPhase('tablet');
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto(base + `/app/studies/${study}`);
  await page.waitForSelector('[data-priors=loaded]');
  steps.tablet_overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await shot(page, 'pages-study-tablet');
  await page.context().close();
});
