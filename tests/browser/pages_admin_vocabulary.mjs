// The vocabulary part of pages_admin.mjs (see there): KPI targets, a report template's
// version conflict, a code list replaced from a file and searched.
import { text } from './pages_harness.mjs';

export async function vocabulary({ args, report, newPage, shot, signIn, setPhase }) {
  const steps = report.steps;

  setPhase('targets');
  const page = await newPage();
  await signIn(page, 'admin', '/app/admin/targets');
  await page.waitForSelector('[data-loaded=targets]');
  const form = '[data-form=target]';
  const setTarget = async (period, indicator, baseline, target) => {
    await page.fill(`${form} input[name=period]`, period);
    await page.selectOption(`${form} select[name=indicator]`, indicator);
    await page.fill(`${form} input[name=baseline]`, baseline);
    await page.fill(`${form} input[name=target]`, target);
    await page.click('[data-action=save-target]');
    await page.waitForSelector(`tr[data-target="${period}/${indicator}"]`);
  };
  await setTarget('2026H1', 'e_examinations', '4000', '4500');
  await setTarget('2026H1', 'image_diagnoses', '2000', '2400');
  steps.target_notice = await text(page, '[data-notice=targets]');
  // Edit: the row fills the form, a new target replaces the old.
  await page.click('tr[data-target="2026H1/image_diagnoses"] [data-action=edit-target]');
  steps.edit_filled = await page.inputValue(`${form} input[name=target]`);
  await page.fill(`${form} input[name=target]`, '2500.5');
  await page.click('[data-action=save-target]');
  await page.waitForFunction(() =>
    document.querySelector('tr[data-target="2026H1/image_diagnoses"] td:nth-child(4)')?.textContent === '2,500.5');
  // Delete after the confirmation.
  await page.click('tr[data-target="2026H1/e_examinations"] [data-action=delete-target]');
  steps.delete_question = await text(page, 'tr[data-target="2026H1/e_examinations"] .confirm-question');
  await page.click('tr[data-target="2026H1/e_examinations"] [data-action=delete-target-confirm]');
  await page.waitForSelector('tr[data-target="2026H1/e_examinations"]', { state: 'detached' });
  steps.delete_notice = await text(page, '[data-notice=targets]');
  await shot(page, 'pages-admin-targets');

  setPhase('template');
  await page.click('.admin-nav a[href="/app/admin/templates"]');
  const row = `tr[data-template="${args.template}"]`;
  await page.waitForSelector(row);
  await page.click(`${row} [data-action=edit-template]`);
  steps.template_title = await text(page, '#template-form-title');
  await page.fill('[data-form=template] textarea[name=impression]', 'Цээжний эрхтэнд эмгэг өөрчлөлтгүй.');
  // Someone else saves the template first (the same API, from this page's session).
  steps.other_save = await page.evaluate(async (id) => {
    const list = await (await fetch('/api/v1/report-templates')).json();
    const t = list.items.find((x) => x.id === id);
    const r = await fetch(`/api/v1/report-templates/${id}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'telerad' },
      body: JSON.stringify({ ...t, findings: 'Өөр хүний засвар.', version: t.version }),
    });
    return r.status;
  }, Number(args.template));
  setPhase('template-conflict');
  await page.click('[data-action=save-template]');
  await page.waitForSelector('[data-problem=stale-template]');
  steps.conflict_text = await text(page, '[data-problem=stale-template]');
  await shot(page, 'pages-admin-template-conflict');
  setPhase('template-reload');
  await page.click('[data-action=reload-template]');
  await page.waitForSelector('[data-problem=stale-template]', { state: 'detached' });
  steps.reloaded_title = await text(page, '#template-form-title');
  steps.reloaded_findings = await page.inputValue('[data-form=template] textarea[name=findings]');
  await page.fill('[data-form=template] textarea[name=impression]', 'Цээжний эрхтэнд эмгэг өөрчлөлтгүй.');
  await page.click('[data-action=save-template]');
  await page.waitForFunction(() => document.querySelector('[data-notice=templates]')?.textContent);
  steps.template_notice = await text(page, '[data-notice=templates]');

  setPhase('codes-bad');
  await page.click('.admin-nav a[href="/app/admin/codes"]');
  await page.waitForSelector('[data-form=codes-upload]');
  const upload = async (name, content) => {
    await page.setInputFiles('[data-form=codes-upload] input[type=file]', { name, mimeType: 'text/csv', buffer: Buffer.from(content) });
    await page.click('[data-action=replace-codes]');
    steps.replace_question = await text(page, '[data-form=codes-upload] .confirm-question');
    await page.click('[data-action=replace-codes-confirm]');
  };
  await upload('bad.csv', 'code,title_mn,title_en\nJ18.9,Хатгаа,Pneumonia\nNOT A CODE,Буруу,Wrong\n');
  await page.waitForSelector('[data-form=codes-upload] [role=alert][data-problem]');
  steps.bad_file_text = await text(page, '[data-form=codes-upload] [role=alert][data-problem]');
  await shot(page, 'pages-admin-codes-refused');

  setPhase('codes');
  await upload('icd10.csv', 'code,title_mn,title_en\nJ18.9,"Хатгаа, тодорхойгүй",Pneumonia unspecified\nS72.0,Гуяны ясны хүзүүний хугарал,Fracture of neck of femur\nI63.9,Тархины шигдээс,Cerebral infarction\n');
  await page.waitForFunction(() => document.querySelector('[data-notice=codes]')?.textContent);
  steps.codes_notice = await text(page, '[data-notice=codes]');
  await page.fill('[data-form=codes-search] input[name=q]', 'хугарал');
  await page.click('[data-action=search-codes]');
  await page.waitForSelector('[data-loaded=codes] tbody tr');
  steps.search_codes = await page.$$eval('[data-loaded=codes] tbody tr', (trs) => trs.map((tr) => tr.dataset.code));
  await shot(page, 'pages-admin-codes');
}
