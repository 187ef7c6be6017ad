// What a facility may still change on a study it sent and nobody has reported yet: its
// priority and the clinical question for the radiologist (PATCH /studies/{uid}). The
// change is said back in words once the server has taken it; a reported study answers
// 409, named in words by the banner.
import { useState } from 'preact/hooks';
import { api, problemOf, type Problem } from '../api/client';
import type { Priority, Study } from '../api/types';
import { ProblemBanner } from '../components/ProblemBanner';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/mn';
import { priorities } from './worklistQuery';

export function StudyRequestForm({ study, onSaved, onCancel }: { study: Study; onSaved: (study: Study) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [priority, setPriority] = useState<Priority>(study.priority);
  const [clinical, setClinical] = useState(study.clinical_info ?? '');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const saved = await api<Study>(`/studies/${encodeURIComponent(study.study_uid)}`, {
        method: 'PATCH',
        body: { priority, clinical_info: clinical },
      });
      onSaved(saved);
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="request-form" onSubmit={submit} data-form="request" aria-label={t('inbox.edit.title')}>
      {problem && <ProblemBanner problem={problem} />}
      <label>
        {t('worklist.priority')}
        <select name="priority" value={priority} onChange={(e) => setPriority((e.currentTarget as HTMLSelectElement).value as Priority)}>
          {priorities.map((p) => (
            <option value={p} key={p}>
              {t(`priority.${p}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('inbox.clinical')}
        <textarea name="clinical_info" rows={3} maxLength={4096} value={clinical} onInput={(e) => setClinical((e.currentTarget as HTMLTextAreaElement).value)} />
      </label>
      <div class="filter-buttons">
        <button type="submit" disabled={busy} data-action="save-request">
          {t('inbox.edit.save')}
        </button>
        <button type="button" class="secondary outline" onClick={onCancel}>
          {t('inbox.edit.cancel')}
        </button>
      </div>
    </form>
  );
}
