// Drives Debian's chromium through the e-examination pages against a running telerad and
// reports what it saw as one JSON line on stdout (pages_harness.mjs); screenshots
// pages-exams-*.png go to --out. The C++ test tests/integration/browser_exams_test.cpp
// starts the server and checks the report and, through the API, what the clicks did.
//
//   node pages_exams.mjs --base http://127.0.0.1:8080 --out DIR --part flow|refusals
//
// --part refusals: fac1 opening the specialist's queue and rad1 opening the facility's
// e-examinations are refused in words, each role's navigation offering its own page.
// --part flow: fac1 on its e-examinations page: an empty booking is stopped in the
// form, field by field; then it books one. spec1 finds it in its queue, accepts it with
// a slot (Ulaanbaatar time), tries to complete it without a conclusion (stopped), then
// completes it with a conclusion and an ICD-10 code picked by keyboard from the search.
// fac1's page, never reloaded, shows it completed (its refresh) with slot, specialist,
// conclusion and code. fac1 books a second one and cancels it after the confirmation.
// Both pages at tablet width without sideways scrolling; English a click away.
import { run, text, visibleIn } from './pages_harness.mjs';

const hour = 3600_000;
// A date and time as a datetime-local input takes it, in Ulaanbaatar time (UTC+8).
const ubInput = (ms) => new Date(ms + 8 * hour).toISOString().slice(0, 16);
const dayAhead = (days, hhmm) => ubInput(Date.now() + days * 24 * hour).slice(0, 11) + hhmm;
const utcOf = (input) => new Date(input + ':00+08:00').toISOString();

// What a role sees when it opens `pathname`, which it may not see.
async function refusal(page, signIn, user, pathname) {
  await signIn(page, user, pathname);
  await page.waitForSelector('[data-refused]');
  return {
    url: new URL(page.url()).pathname,
    title: await text(page, '[data-refused] h1'),
    text: await text(page, '[data-refused] p'),
    nav: await page.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href'))),
  };
}

await run(async ({ args, base, report, newPage, shot, signIn, setPhase }) => {
  const steps = report.steps;
  const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

  if (args.part === 'refusals') {
    setPhase('refused-queue');
    const facility = await newPage();
    steps.fac_queue = await refusal(facility, signIn, 'fac1', '/app/queue');
    await shot(facility, 'pages-exams-refused-queue');
    setPhase('refused-exams');
    const rad = await newPage();
    steps.rad_exams = await refusal(rad, signIn, 'rad1', '/app/exams');
    await shot(rad, 'pages-exams-refused-exams');
    return;
  }

  setPhase('book-invalid');
  const fac = await newPage();
  let posts = 0;
  fac.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/consultations') posts++;
  });
  await signIn(fac, 'fac1', '/app/exams');
  await fac.waitForSelector('[data-loaded]');
  steps.fac_nav = await fac.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href')));
  steps.title = await text(fac, 'h1');
  await fac.fill('[data-form=booking] [name=requested_at]', '');
  await fac.click('[data-action=book]');
  await fac.waitForSelector('[data-error]');
  steps.invalid = {
    errors: await fac.$$eval('[data-form=booking] [data-error]', (els) => els.map((e) => e.dataset.error)),
    focus: await fac.evaluate(() => document.activeElement?.getAttribute('name')),
    described: await fac.$eval('[name=patient_id]', (el) => [el.getAttribute('aria-invalid'), document.getElementById(el.getAttribute('aria-describedby'))?.innerText]),
    posts,
  };
  await shot(fac, 'pages-exams-invalid');

  setPhase('book');
  const requestedAt = dayAhead(2, '09:00');
  await fac.fill('[name=patient_id]', 'UB-88021512');
  await fac.fill('[name=patient_name]', 'БАТ^ОЮУНЦЭЦЭГ');
  await fac.fill('[name=birth_date]', '1988-02-15');
  await fac.selectOption('[name=sex]', 'F');
  await fac.selectOption('[name=specialty]', 'cardiology');
  await fac.fill('[name=reason]', 'Цээжээр өвдөх, зүрх дэлсэх; ЭКГ-д ST өөрчлөлт.');
  await fac.fill('[data-form=booking] [name=requested_at]', requestedAt);
  await fac.click('[data-action=book]');
  await fac.waitForFunction(() => document.querySelector('[data-notice=action]')?.innerText.includes('бүртгэлээ'));
  await fac.waitForSelector('[data-exam] [data-status=requested]');
  const id = await fac.$eval('[data-exam]', (el) => el.dataset.exam);
  steps.booked = {
    id,
    notice: await text(fac, '[data-notice=action]'),
    status: await text(fac, `[data-exam="${id}"] [data-field=status]`),
    requested_at: await text(fac, `[data-exam="${id}"] [data-field=requested_at]`),
    requested_at_utc: utcOf(requestedAt),
    form_cleared: (await fac.inputValue('[name=patient_id]')) === '',
    posts,
  };
  await shot(fac, 'pages-exams-booked');

  setPhase('queue');
  const spec = await newPage();
  await signIn(spec, 'spec1', '/app/queue');
  const card = (section) => `[data-section=${section}] [data-exam="${id}"]`;
  await spec.waitForSelector(card('requested'));
  steps.queue = {
    title: await text(spec, 'h1'),
    nav: await spec.$$eval('header nav a', (as) => as.map((a) => a.getAttribute('href'))),
    facility: await text(spec, `${card('requested')} [data-field=facility]`),
    specialty: await text(spec, `${card('requested')} [data-field=specialty]`),
  };
  await shot(spec, 'pages-exams-queue');
  // The waiting ones of another specialty: none; of its own: the booking again.
  await spec.selectOption('[name=specialty]', 'neurology');
  await spec.waitForSelector('[data-section=requested] [data-empty]');
  steps.filtered = { url: new URL(spec.url()).pathname + new URL(spec.url()).search, empty: await text(spec, '[data-section=requested] [data-empty]') };
  await spec.selectOption('[name=specialty]', 'cardiology');
  await spec.waitForSelector(card('requested'));

  setPhase('accept');
  const slot = dayAhead(1, '10:30');
  await spec.click(`${card('requested')} [data-action=accept]`);
  await spec.waitForSelector(`${card('requested')} [name=slot_at]`);
  steps.accept_focus = await spec.evaluate(() => document.activeElement?.getAttribute('name'));
  await spec.fill(`${card('requested')} [name=slot_at]`, slot);
  await spec.click(`${card('requested')} [data-action=accept-confirm]`);
  await spec.waitForSelector(card('accepted'));
  steps.accepted = {
    slot_input: slot,
    slot_utc: utcOf(slot),
    slot_text: await text(spec, `${card('accepted')} [data-field=slot]`),
    notice: await text(spec, '[data-notice=action]'),
  };

  setPhase('complete');
  await spec.click(`${card('accepted')} [data-action=complete]`);
  await spec.waitForSelector(`${card('accepted')} [name=conclusion]`);
  await spec.click(`${card('accepted')} [data-action=complete-confirm]`);
  await spec.waitForSelector(`${card('accepted')} [data-error]`);
  steps.complete_empty = await text(spec, `${card('accepted')} [data-error]`);
  const conclusion = 'Тогтворгүй стенокарди сэжиглэв. Кардиологийн тасагт шилжүүлж ЭКГ-г давтах.';
  await spec.fill(`${card('accepted')} [name=conclusion]`, conclusion);
  // The code by keyboard: type, wait for the suggestion, arrows and Enter.
  const picker = `${card('accepted')} [role=combobox]`;
  await spec.click(picker);
  await spec.keyboard.type('J18');
  await spec.waitForSelector(`${card('accepted')} [role=option][data-option="J18.9"]`);
  steps.options = await spec.$$eval(`${card('accepted')} [role=option]`, (els) => els.map((e) => e.dataset.option));
  const index = steps.options.indexOf('J18.9');
  for (let i = 0; i < index; i++) await spec.keyboard.press('ArrowDown');
  steps.active_option = await spec.$eval(picker, (el) => document.getElementById(el.getAttribute('aria-activedescendant'))?.dataset.option);
  await spec.keyboard.press('Enter');
  await spec.waitForSelector(`${card('accepted')} [data-chosen-codes] [data-code="J18.9"]`);
  steps.chip = await text(spec, `${card('accepted')} [data-chosen-codes] [data-code="J18.9"]`);
  steps.still_open = await visibleIn(spec, `${card('accepted')} [name=conclusion]`);
  await shot(spec, 'pages-exams-complete-form');
  await spec.click(`${card('accepted')} [data-action=complete-confirm]`);
  await spec.waitForSelector(card('completed'));
  steps.completed = {
    conclusion_input: conclusion,
    notice: await text(spec, '[data-notice=action]'),
    codes: await spec.$$eval(`${card('completed')} [data-field=codes] [data-code]`, (els) => els.map((e) => e.dataset.code)),
  };
  await shot(spec, 'pages-exams-queue-done');

  setPhase('facility-sees');
  // No reload: the page's own refresh brings the conclusion (every 15 s while visible).
  await fac.bringToFront();
  await fac.waitForSelector(`[data-exam="${id}"] [data-status=completed]`, { timeout: 30_000 });
  const done = `[data-exam="${id}"]`;
  steps.facility_sees = {
    status: await text(fac, `${done} [data-field=status]`),
    slot: await text(fac, `${done} [data-field=slot]`),
    specialist: await text(fac, `${done} [data-field=specialist]`),
    conclusion: await text(fac, `${done} [data-field=conclusion]`),
    codes: await fac.$$eval(`${done} [data-field=codes] [data-code]`, (els) => els.map((e) => e.dataset.code)),
    code_text: await (await fac.waitForSelector(`${done} [data-field=codes] li:has-text("—")`)).innerText(),
    cancel_button: await visibleIn(fac, `${done} [data-action=cancel]`),
  };
  await shot(fac, 'pages-exams-completed');

  setPhase('cancel');
  await fac.fill('[name=patient_id]', 'UB-90010101');
  await fac.selectOption('[name=specialty]', 'neurology');
  await fac.fill('[name=reason]', 'Толгой өвдөх');
  await fac.click('[data-action=book]');
  await fac.waitForFunction((first) => [...document.querySelectorAll('[data-exam]')].some((e) => e.dataset.exam !== first), id);
  const second = await fac.$$eval('[data-exam]', (els, first) => els.map((e) => e.dataset.exam).find((x) => x !== first), id);
  const row = `[data-exam="${second}"]`;
  await fac.click(`${row} [data-action=cancel]`);
  await fac.waitForSelector(`${row} [data-confirm=cancel]`);
  steps.cancel_question = await text(fac, `${row} [data-confirm=cancel] legend`);
  steps.cancel_focus = await fac.evaluate(() => document.activeElement?.getAttribute('name'));
  await fac.fill(`${row} [name=cancel_reason]`, 'Өвчтөн биеэр ирж үзүүлнэ.');
  await shot(fac, 'pages-exams-cancel-confirm');
  await fac.click(`${row} [data-action=cancel-confirm]`);
  await fac.waitForSelector(`${row} [data-status=cancelled]`);
  steps.cancelled = { id: second, status: await text(fac, `${row} [data-field=status]`), notice: await text(fac, '[data-notice=action]') };

  setPhase('tablet');
  await fac.setViewportSize({ width: 768, height: 1024 });
  steps.tablet_overflow_exams = await overflow(fac);
  await shot(fac, 'pages-exams-tablet');
  await spec.setViewportSize({ width: 768, height: 1024 });
  steps.tablet_overflow_queue = await overflow(spec);
  await shot(spec, 'pages-exams-queue-tablet');

  setPhase('english');
  await fac.click('.lang-switch');
  await fac.waitForFunction(() => document.documentElement.lang === 'en');
  steps.english = { title: await text(fac, 'h1'), status: await text(fac, `${done} [data-field=status]`) };
});
