// The diagnosis code lists the report editor searches: replace a system's whole list
// from a CSV or JSON file (after a confirmation; the server checks every line and names
// the first wrong one in its 422, and then replaces nothing), and search the lists.
import { useState } from 'preact/hooks';
import { api, problemOf, type Problem } from '../../api/client';
import type { DiagnosisCode, Page } from '../../api/types';
import { useI18n } from '../../i18n/i18n';
import { AdminProblem, ConfirmButton, FeedbackView, useFeedback } from './Feedback';

const systems = ['icd10', 'icd11'] as const;
const systemName = { icd10: 'ICD-10', icd11: 'ICD-11' };

export function CodeLists() {
  return (
    <div class="admin-section" data-section="codes">
      <Upload />
      <Search />
    </div>
  );
}

function Upload() {
  const { t, number } = useI18n();
  const [system, setSystem] = useState<(typeof systems)[number]>('icd10');
  const [file, setFile] = useState<File | null>(null);
  const feedback = useFeedback();
  const replace = async () => {
    if (!file) return;
    const json = file.name.toLowerCase().endsWith('.json') || file.type === 'application/json';
    const text = await file.text();
    await feedback.run(
      () =>
        api<{ system: string; count: number }>('/codes/' + system, {
          method: 'PUT',
          body: text,
          contentType: json ? 'application/json' : 'text/csv',
        }),
      (answer) => t('admin.codes.replaced', { system: systemName[system], count: number(answer.count) }),
    );
  };
  return (
    <form class="admin-form" onSubmit={(e) => e.preventDefault()} data-form="codes-upload" aria-labelledby="codes-upload-title">
      <h2 id="codes-upload-title">{t('admin.codes.upload')}</h2>
      <p>{t('admin.codes.upload.intro')}</p>
      <FeedbackView feedback={feedback} name="codes" />
      <div class="grid-form">
        <label>
          {t('admin.codes.system')}
          <select name="system" value={system} onChange={(e) => setSystem(e.currentTarget.value as typeof system)}>
            {systems.map((s) => (
              <option value={s} key={s}>
                {systemName[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.codes.file')}
          <input
            name="file"
            type="file"
            accept=".csv,.json,text/csv,application/json"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </label>
      </div>
      <ConfirmButton
        label={t('admin.codes.replace')}
        what={t('admin.codes.replace.what', { system: systemName[system], file: file?.name ?? '' })}
        onConfirm={replace}
        disabled={!file || feedback.busy}
        action="replace-codes"
      />
    </form>
  );
}

function Search() {
  const { t } = useI18n();
  const [system, setSystem] = useState('');
  const [q, setQ] = useState('');
  const [codes, setCodes] = useState<DiagnosisCode[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const search = async (event: Event) => {
    event.preventDefault();
    const params = new URLSearchParams({ limit: '50' });
    if (system) params.set('system', system);
    if (q.trim()) params.set('q', q.trim());
    try {
      setCodes((await api<Page<DiagnosisCode>>('/codes?' + params.toString())).items);
      setProblem(null);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  };
  return (
    <section aria-labelledby="codes-search-title" class="admin-form">
      <h2 id="codes-search-title">{t('admin.codes.search')}</h2>
      <form onSubmit={search} class="inline-form" data-form="codes-search" aria-labelledby="codes-search-title">
        <label>
          {t('admin.codes.system')}
          <select name="search-system" value={system} onChange={(e) => setSystem(e.currentTarget.value)}>
            <option value="">{t('admin.any')}</option>
            {systems.map((s) => (
              <option value={s} key={s}>
                {systemName[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.codes.q')}
          <input name="q" type="search" maxLength={100} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </label>
        <button type="submit" data-action="search-codes">
          {t('admin.codes.find')}
        </button>
      </form>
      {problem && <AdminProblem problem={problem} />}
      {codes && codes.length === 0 && <p data-empty="true">{t('admin.codes.empty')}</p>}
      {codes && codes.length > 0 && (
        <div class="table-scroll" data-loaded="codes">
          <table class="admin-table striped">
            <thead>
              <tr>
                <th scope="col">{t('admin.codes.system')}</th>
                <th scope="col">{t('admin.codes.code')}</th>
                <th scope="col">{t('admin.codes.title_mn')}</th>
                <th scope="col">{t('admin.codes.title_en')}</th>
              </tr>
            </thead>
            <tbody>
              {codes.map((c) => (
                <tr key={c.system + c.code} data-code={c.code}>
                  <td>{systemName[c.system]}</td>
                  <td>
                    <code>{c.code}</code>
                  </td>
                  <td>{c.title_mn}</td>
                  <td>{c.title_en}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
