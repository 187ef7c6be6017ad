// Drives Debian's chromium through the admin's registry pages against a running telerad
// and reports what it saw as one JSON line on stdout; screenshots (pages-admin-*.png) go
// to --out. tests/integration/browser_admin_test.cpp starts the server and checks the
// report and, through the API, what the browser changed.
//
//   node pages_admin.mjs --base http://127.0.0.1:8080 --out DIR --facility CODE --ae AE
//        --user USERNAME --user-password PASSWORD
//   node pages_admin.mjs --base … --out DIR --part vocabulary --template ID
//
// The registry part (the default):
// admin signs in at /app/admin/facilities, registers --facility (Mongolian name, aimag,
// soum, AE title --ae, a return DICOM address) and is told so; saves a name while
// "another admin" has changed the soum (412: said in words, the form reloaded with their
// entry); creates a machine token
// for it (the secret shown once with its warning and a copy button), closes it and
// revokes the token after confirming; on the users page is refused a taken username
// (rad1) in words, then creates --user as a facility user of --facility; filters the
// audit trail by action user.create and object id --user (kept in the URL) and sees the
// entry; the users page at tablet width; rad1 opening /app/admin/users is refused in
// words, with no registry link in its navigation.
// The vocabulary part: KPI targets set, edited and deleted; template --template edited
// while "someone else" saves it first (412: said in words, the new version loaded, saved
// again); a code list file with a wrong line refused with the server's line message,
// a right one replacing the list, and the list searched.
import { run, text, visibleIn } from './pages_harness.mjs';
import { vocabulary } from './pages_admin_vocabulary.mjs';

await run(async (harness) => {
  if (harness.args.part === 'vocabulary') await vocabulary(harness);
  else await registry(harness);
});

async function registry({ args, report, newPage, shot, signIn, setPhase }) {
  const steps = report.steps;
  const facility = args.facility;
  const user = args.user;

  setPhase('facilities');
  const page = await newPage();
  await signIn(page, 'admin', '/app/admin/facilities');
  await page.waitForSelector('[data-loaded=facilities] tbody tr');
  steps.nav = await page.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href')));
  steps.sections = await page.$$eval('.admin-nav a', (as) => as.map((a) => a.getAttribute('href')));
  steps.current_section = await text(page, '.admin-nav a[aria-current=page]');
  steps.demo_listed = await visibleIn(page, 'tr[data-facility=DEMO]');

  setPhase('add-facility');
  const form = '[data-form=facility]';
  await page.fill(`${form} input[name=code]`, facility);
  await page.fill(`${form} input[name=name]`, 'Мөрөн сумын эмнэлэг');
  await page.fill(`${form} input[name=aimag]`, 'Хөвсгөл');
  await page.fill(`${form} input[name=soum]`, 'Мөрөн');
  await page.fill(`${form} input[name=ae_title]`, args.ae);
  await page.fill(`${form} input[name=host]`, 'pacs.moron.example');
  await page.fill(`${form} input[name=port]`, '11112');
  await page.fill(`${form} input[name=return_ae]`, 'MORON_PACS');
  await page.click('[data-action=save-facility]');
  await page.waitForSelector(`[data-tokens="${facility}"]`);
  steps.facility_notice = await text(page, '[data-notice=facility]');
  steps.facility_url = new URL(page.url()).pathname + new URL(page.url()).search;
  steps.facility_row = await page.$eval(`tr[data-facility="${facility}"]`, (tr) => ({
    text: tr.innerText,
    return: tr.querySelector('[data-field=return]')?.innerText ?? null,
  }));
  steps.form_title = await text(page, '#facility-form-title');
  await shot(page, 'pages-admin-facility');

  // Another admin changes the soum while this one edits the name: the save is refused in
  // words (412) and the form comes back with the other admin's entry, the name not saved.
  setPhase('stale-facility');
  steps.other_admin_status = await page.evaluate(async (code) => {
    const r = await fetch('/api/v1/facilities/' + encodeURIComponent(code), {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'telerad' },
      credentials: 'same-origin',
      body: JSON.stringify({ soum: 'Мөрөн хот' }),
    });
    return r.status;
  }, facility);
  await page.fill(`${form} input[name=name]`, 'Мөрөн сумын нэгдсэн эмнэлэг');
  await page.click('[data-action=save-facility]');
  await page.waitForSelector(`${form} [role=alert][data-problem]`);
  await page.waitForFunction(
    (f) => document.querySelector(`${f} input[name=soum]`)?.value === 'Мөрөн хот',
    form,
  );
  steps.stale_problem = await text(page, `${form} [role=alert][data-problem]`);
  steps.stale_name = await page.inputValue(`${form} input[name=name]`);
  await shot(page, 'pages-admin-facility-conflict');

  setPhase('token');
  await page.fill('[data-form=token] input[name=token-name]', 'moron-gateway');
  await page.click('[data-action=create-token]');
  await page.waitForSelector('[data-secret=token]');
  steps.token_secret = await page.inputValue('[data-secret=token] input[name=token-secret]');
  steps.token_warning = await text(page, '[data-secret=token] .secret-warning');
  steps.token_focus = await page.evaluate(() => document.activeElement?.getAttribute('name'));
  await shot(page, 'pages-admin-token');
  await page.click('[data-action=copy-token]');
  await page.waitForFunction(() => document.querySelector('[data-notice=copy]')?.textContent);
  steps.copy_notice = await text(page, '[data-notice=copy]');
  await page.click('[data-action=dismiss-token]');
  steps.secret_gone = !(await visibleIn(page, '[data-secret=token]'));
  const row = '[data-tokens] tbody tr:not([data-revoked])';
  await page.click(`${row} [data-action=revoke-token]`);
  steps.revoke_question = await text(page, `${row} .confirm-question`);
  // The confirmation takes the focus: Enter confirms.
  steps.revoke_focus = await page.evaluate(() => document.activeElement?.dataset.action ?? null);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-tokens] tbody tr[data-revoked]');
  steps.revoke_notice = await text(page, '[data-notice=tokens]');
  steps.token_state = await text(page, '[data-tokens] tbody tr[data-revoked] [data-field=state]');
  await shot(page, 'pages-admin-token-revoked');

  setPhase('users-taken');
  await page.click('.admin-nav a[href="/app/admin/users"]');
  await page.waitForSelector('[data-loaded=users] tbody tr');
  const userForm = '[data-form=user]';
  await page.fill(`${userForm} input[name=new-username]`, 'rad1');
  await page.fill(`${userForm} input[name=new-password]`, 'long enough passphrase');
  await page.click('[data-action=create-user]');
  await page.waitForSelector('[data-section=users] [role=alert][data-problem]');
  steps.taken_text = await text(page, '[data-section=users] [role=alert][data-problem]');

  setPhase('users');
  await page.fill(`${userForm} input[name=new-username]`, user);
  await page.selectOption(`${userForm} select[name=new-role]`, 'facility');
  await page.selectOption(`${userForm} select[name=new-facility]`, facility);
  await page.fill(`${userForm} input[name=new-password]`, args['user-password']);
  await page.click('[data-action=create-user]');
  await page.waitForSelector(`tr[data-user-row="${user}"]`);
  steps.user_notice = await text(page, '[data-notice=users]');
  steps.problem_gone = !(await visibleIn(page, '[data-section=users] [role=alert][data-problem]'));
  steps.user_row = await text(page, `tr[data-user-row="${user}"]`);
  await page.selectOption('select[name=role-filter]', 'facility');
  await page.waitForURL(/role=facility/);
  steps.filtered_roles = await page.$$eval('[data-loaded=users] tbody tr', (trs) =>
    trs.map((tr) => tr.querySelector('td:nth-child(2)')?.innerText));
  await shot(page, 'pages-admin-users');

  setPhase('audit');
  await page.click('.admin-nav a[href="/app/admin/audit"]');
  await page.waitForSelector('[data-loaded=audit]');
  await page.fill('[data-form=audit] input[name=action]', 'user.create');
  await page.fill('[data-form=audit] input[name=object_id]', user);
  await page.click('[data-form=audit] button[type=submit]');
  await page.waitForURL(/object_id=/);
  await page.waitForSelector('[data-loaded=audit] tbody tr');
  steps.audit_url = new URL(page.url()).pathname + new URL(page.url()).search;
  steps.audit_rows = await page.$$eval('[data-loaded=audit] tbody tr', (trs) =>
    trs.map((tr) => ({ action: tr.dataset.action, outcome: tr.dataset.outcome, outcome_words: tr.lastElementChild?.innerText, object: tr.querySelector('[data-field=object]')?.innerText })));
  await shot(page, 'pages-admin-audit');
  // The filters survive a reload (they are the URL's).
  await page.reload();
  await page.waitForSelector('[data-loaded=audit] tbody tr');
  steps.audit_after_reload = {
    action: await page.inputValue('[data-form=audit] input[name=action]'),
    rows: await page.locator('[data-loaded=audit] tbody tr').count(),
  };
  // English a click away.
  // The language's words may still be loading after the click (a loaded CI machine took
  // longer than the next read): wait for the page to say it is English, as the other
  // pages' tests do.
  await page.click('.lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  steps.english_section = await text(page, '.admin-nav a[aria-current=page]');
  await page.click('.lang-switch');
  await page.waitForFunction(() => document.documentElement.lang === 'mn');

  setPhase('tablet');
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.click('.admin-nav a[href="/app/admin/users"]');
  await page.waitForSelector('[data-loaded=users] tbody tr');
  steps.tablet_overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await shot(page, 'pages-admin-users-tablet');

  setPhase('refused');
  const rad = await newPage();
  await signIn(rad, 'rad1', '/app/admin/users');
  await rad.waitForSelector('[data-refused=page]');
  steps.refused = {
    url: new URL(rad.url()).pathname,
    text: await text(rad, '[data-refused=page]'),
    nav: await rad.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href'))),
  };
  await shot(rad, 'pages-admin-refused');
}
