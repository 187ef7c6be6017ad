// A radiologist's day at the report editor, in Debian's chromium against a running
// telerad; one JSON report on stdout (pages_harness.mjs), screenshots pages-report-*.png.
// tests/integration/browser_report_test.cpp prepares the study and checks the server.
//
//   node pages_report.mjs --base URL --out DIR --study UID [--facility-only true]
//
// rad1 signs in; on the worklist j/k move to --study, c claims it, Enter opens it; the
// `?` help lists the keys. On the study page: a template inserted, a code searched by
// its title and added from the keyboard, findings typed, the critical flag; autosave
// reaches the server. A second tab of rad1 (another browser context) saves a different
// draft: this tab's next save shows both texts, and "keep mine" saves mine over it. The
// network drops mid-edit: the edit waits, and is saved when the network is back; again
// offline, the tab is left and reopened: the kept edit is restored and saved. Signed
// with Ctrl+Shift+Enter and the confirmation; an addendum. fac1 then sees the report in
// its inbox, opens the printable page and the study page, read-only.
// --facility-only: fac1 opens --study (a draft rad1 is writing) read-only, nothing more.
import { run, text, visibleIn } from './pages_harness.mjs';

const mineText = 'Баруун уушгины доод дэлбэнд нэвчдэс илэрсэн.';
const theirsText = 'Өөр табаас бичсэн ноорог.';
const offlineText = ' Сүлжээ тасарсан үед бичсэн.';
const reloadText = ' Таб хаагдахаас өмнө бичсэн.';
const addendumText = 'Нэмэлт: өмнөх зурагтай харьцуулахад өөрчлөлтгүй.';

const serverReport = (page, uid) =>
  page.evaluate(async (u) => {
    const r = await fetch(`/api/v1/studies/${u}/report`);
    return r.ok ? r.json() : { status: r.status };
  }, uid);

// Polls the server's report until `ok` holds (or 15 s): what the page said is checked
// against what the server has.
async function serverReportWhen(page, uid, ok) {
  let found = null;
  for (let i = 0; i < 50; i++) {
    found = await serverReport(page, uid);
    if (ok(found)) return found;
    await page.waitForTimeout(300);
  }
  return found;
}

async function readOnlyView(page, base, study) {
  await page.goto(base + `/app/studies/${study}`);
  await page.waitForSelector('[data-report]:not([data-report=loading])');
  return {
    report: await page.locator('[data-report]').getAttribute('data-report'),
    claim: await page.locator('[data-action=claim]').count(),
    release: await page.locator('[data-action=release]').count(),
    editor: await page.locator('[data-editor]').count(),
    textareas: await page.locator('.study-page textarea').count(),
    addendum_form: await page.locator('[data-addendum-form]').count(),
    keys_button: await page.locator('[data-action=keys]').count(),
  };
}

await run(async ({ args, base, report, newPage, shot, signIn, setPhase }) => {
  const steps = report.steps;
  const study = args.study;

  if (args['facility-only']) {
    setPhase('facility-study');
    const fac = await newPage();
    await signIn(fac, 'fac1', `/app/studies/${study}`);
    steps.facility_study = await readOnlyView(fac, base, study);
    await shot(fac, 'pages-report-facility-study');
    return;
  }

  setPhase('worklist');
  const page = await newPage();
  await signIn(page, 'rad1', '/app/worklist');
  await page.waitForSelector(`tr[data-study="${study}"]`);
  // The `?` help lists the keys; Escape closes it.
  await page.locator('body').press('?');
  await page.waitForSelector('dialog[data-dialog=keys][open]');
  steps.help_keys = await page.$$eval('dialog[data-dialog=keys] kbd', (k) => k.map((e) => e.innerText));
  await shot(page, 'pages-report-keys');
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog[data-dialog=keys]:not([open])', { state: 'attached' });
  // j moves down the rows until the study is the current one; c claims it.
  const currentStudy = () => page.evaluate(() => document.activeElement?.closest('tr[data-study]')?.dataset.study ?? null);
  let presses = 0;
  while ((await currentStudy()) !== study && presses < 60) {
    await page.keyboard.press(presses % 2 ? 'ArrowDown' : 'j');
    presses++;
  }
  steps.row_reached = (await currentStudy()) === study;
  await page.keyboard.press('c');
  await page.waitForSelector(`.mine-section tr[data-study="${study}"] [data-action=release]`);
  steps.claim_notice = await text(page, '[data-notice=action]');
  // The claimed study is in "mine", the first rows: j, then Enter opens it.
  await page.locator('h1').click();
  await page.keyboard.press('j');
  steps.row_after_claim = await currentStudy();
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/app/studies/${study}`);
  steps.url = new URL(page.url()).pathname;

  setPhase('template');
  await page.waitForSelector('[data-editor=draft]');
  await page.waitForSelector('select[data-templates]:not([data-templates=loading])');
  steps.templates = await page.$$eval('select[data-templates] option', (o) => o.slice(1).map((e) => e.innerText));
  await page.selectOption('select[data-templates]', { index: 1 });
  steps.template_findings = await page.inputValue('textarea[name=findings]');
  steps.template_impression = await page.inputValue('textarea[name=impression]');
  // A template over written text asks first; declined, nothing changes.
  page.once('dialog', (dialog) => {
    steps.replace_question = dialog.message();
    dialog.dismiss();
  });
  await page.selectOption('select[data-templates]', { index: 1 });
  steps.kept_after_decline = (await page.inputValue('textarea[name=findings]')) === steps.template_findings;

  setPhase('code');
  await page.focus('[data-code-search]');
  await page.keyboard.type('хатгаа');
  await page.waitForSelector('[role=listbox] [data-option="J18.9"]');
  steps.options = await page.$$eval('[role=listbox] [data-option]', (o) => o.map((e) => e.dataset.option));
  for (let i = 0; i < steps.options.indexOf('J18.9'); i++) await page.keyboard.press('ArrowDown');
  steps.active_option = await page.$eval('[role=combobox]', (input) => document.getElementById(input.getAttribute('aria-activedescendant'))?.dataset.option);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-chip="J18.9"]');
  steps.chips = await page.$$eval('[data-chip]', (c) => c.map((e) => e.innerText.replace('×', '').replace(/\s+/g, ' ').trim()));

  setPhase('findings');
  await page.fill('textarea[name=findings]', mineText);
  await page.check('input[name=critical]');
  steps.autosaved = await serverReportWhen(page, study, (r) => r.findings === mineText && r.critical);
  await page.waitForSelector('[data-save=saved]', { timeout: 15000 });
  steps.saved_text = await text(page, '[data-save]');
  await shot(page, 'pages-report-editor');

  setPhase('tablet');
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.waitForTimeout(200);
  steps.tablet_overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await shot(page, 'pages-report-editor-tablet');
  await page.setViewportSize({ width: 1280, height: 800 });

  setPhase('second-tab');
  // rad1 in a second tab (its own session) saves a different draft over the same version.
  const other = await newPage();
  await signIn(other, 'rad1', '/app/worklist');
  steps.second_tab_save = await other.evaluate(async ({ uid, findings }) => {
    const current = await (await fetch(`/api/v1/studies/${uid}/report`)).json();
    const r = await fetch(`/api/v1/studies/${uid}/report`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'telerad', 'If-Match': `"${current.version}"` },
      body: JSON.stringify({ findings, impression: current.impression, icd_codes: current.icd_codes, critical: current.critical }),
    });
    return { status: r.status, version: (await r.json()).version };
  }, { uid: study, findings: theirsText });

  setPhase('conflict');
  await page.focus('textarea[name=findings]');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Тодруулга.');
  await page.waitForSelector('[data-conflict]', { timeout: 15000 });
  steps.conflict = {
    theirs: await text(page, '[data-side=theirs] [data-text=findings]'),
    mine: await text(page, '[data-side=mine] [data-text=findings]'),
    state: await page.getAttribute('[data-save]', 'data-save'),
  };
  await shot(page, 'pages-report-conflict');
  await page.click('[data-action=keep-mine]');
  steps.after_keep_mine = await serverReportWhen(page, study, (r) => r.findings.endsWith('Тодруулга.'));
  await page.waitForSelector('[data-save=saved]', { timeout: 15000 });

  setPhase('offline');
  await page.context().setOffline(true);
  await page.focus('textarea[name=findings]');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(offlineText);
  await page.waitForSelector('[data-save=offline]', { timeout: 15000 });
  steps.offline_text = await text(page, '[data-save]');
  await shot(page, 'pages-report-editor-offline');
  await page.context().setOffline(false);
  steps.after_online = await serverReportWhen(page, study, (r) => r.findings.endsWith(offlineText));
  await page.waitForSelector('[data-save=saved]', { timeout: 15000 });

  setPhase('reopen');
  // Offline again, typed, the tab left before anything could be saved; reopened online.
  await page.context().setOffline(true);
  await page.focus('textarea[name=findings]');
  await page.keyboard.press('Control+End');
  await page.keyboard.type(reloadText);
  await page.waitForSelector('[data-save=offline]', { timeout: 15000 });
  steps.kept_in_browser = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('telerad.draft.')).length);
  await page.goto('about:blank');
  await page.context().setOffline(false);
  await page.goto(base + `/app/studies/${study}`);
  await page.waitForSelector('[data-restored]');
  steps.restored_notice = await text(page, '[data-restored]');
  steps.after_reopen = await serverReportWhen(page, study, (r) => r.findings.endsWith(reloadText));
  await page.waitForSelector('[data-save=saved]', { timeout: 15000 });
  steps.kept_after_save = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('telerad.draft.')).length);

  setPhase('sign');
  await page.focus('textarea[name=impression]');
  await page.keyboard.press('Control+Shift+Enter');
  await page.waitForSelector('dialog[data-dialog=sign][open]');
  steps.sign_summary = {
    impression: await text(page, '[data-summary=impression]'),
    codes: await text(page, '[data-summary=codes]'),
    critical: await text(page, '[data-summary=critical]'),
  };
  await shot(page, 'pages-report-editor-sign');
  await page.click('[data-action=confirm-sign]');
  await page.waitForSelector('[data-report=final]', { timeout: 15000 });
  steps.after_sign = { editor: await page.locator('[data-editor]').count(), findings_heading: await text(page, '.report-final h3') };

  setPhase('addendum');
  await page.fill('textarea[name=addendum]', addendumText);
  await page.click('[data-addendum-form] button[type=submit]');
  await page.waitForSelector('.report-addenda li');
  steps.addendum_shown = await text(page, '.report-addenda li .report-text');
  await shot(page, 'pages-report-editor-final');

  setPhase('facility');
  const fac = await newPage();
  await signIn(fac, 'fac1', '/app/inbox');
  const row = `[data-loaded] tr[data-study="${study}"]`;
  await fac.waitForSelector(`${row} [data-action=report]`);
  await fac.click(`${row} [data-action=report]`);
  await fac.waitForSelector('[data-report=final] [data-field=signature]');
  steps.printable = {
    url: new URL(fac.url()).pathname,
    findings: await text(fac, '[data-field=findings]'),
    print_button: await visibleIn(fac, '[data-action=print]'),
    headings: await fac.$$eval('h2, h3', (h) => h.map((e) => e.innerText)),
  };
  await shot(fac, 'pages-report-facility-print');
  steps.facility_study = await readOnlyView(fac, base, study);
  await shot(fac, 'pages-report-facility-study');
});
