// An addendum to a signed report (any radiologist): the report itself stays as signed.
import { useState } from 'preact/hooks';
import { api, problemOf, type Problem } from '../../../api/client';
import type { Report } from '../../../api/types';
import { ProblemBanner } from '../../../components/ProblemBanner';
import { useI18n } from '../../../i18n/i18n';

export function AddendumForm({ studyUid, onAdded }: { studyUid: string; onAdded: (report: Report) => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setNotice('');
    try {
      const report = await api<Report>(`/studies/${encodeURIComponent(studyUid)}/report/addenda`, { method: 'POST', body: { text } });
      setText('');
      setProblem(null);
      setNotice(t('report.addendum.added'));
      onAdded(report);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found); // the text stays in the field
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="addendum-form" onSubmit={submit} aria-labelledby="addendum-title" data-addendum-form="true">
      <h3 id="addendum-title">{t('report.addendum.title')}</h3>
      {problem && <ProblemBanner problem={problem} />}
      <label>
        {t('report.addendum.text')}
        <textarea name="addendum" rows={3} maxLength={16384} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      <button type="submit" disabled={busy || !text.trim()} aria-busy={busy}>
        {t('report.addendum.submit')}
      </button>
      <p aria-live="polite" class="notice" data-notice="addendum">
        {notice}
      </p>
    </form>
  );
}
