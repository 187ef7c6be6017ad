// One study for the radiologist (and admin; a facility user sees their own read-only):
// who the patient is, what was asked, the series with thumbnails, the patient's prior
// studies with their impressions, claim and release as on the worklist, open in the
// viewer, and the report. The server decides who may see the study: a 403 or 404 is
// shown in words like any other problem.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso/router';
import { api, problemOf, type Problem } from '../../api/client';
import type { StudyDetail } from '../../api/types';
import { ProblemBanner } from '../../components/ProblemBanner';
import { personName } from '../../format';
import { useNow } from '../../hooks';
import { useI18n } from '../../i18n/i18n';
import { useUser } from '../../session';
import { PatientFacts } from './PatientFacts';
import { PriorStudies } from './PriorStudies';
import { ReportSection } from './ReportSection';
import { SeriesList } from './SeriesList';
import { KeyHelp, KeyHelpButton } from './editor/KeyHelp';
import { useKeys } from './editor/keys';

export function StudyPage() {
  const { t } = useI18n();
  const user = useUser();
  const { params } = useRoute();
  const uid = params.study_uid ?? '';
  const now = useNow(1000);
  const [study, setStudy] = useState<StudyDetail | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');

  const load = useCallback(async () => {
    try {
      setStudy(await api<StudyDetail>(`/studies/${encodeURIComponent(uid)}`));
      setProblem(null);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  }, [uid]);
  useEffect(() => {
    setStudy(null);
    load();
  }, [load]);

  const change = (verb: 'claim' | 'release') => async () => {
    if (!study) return;
    setBusy(true);
    setNotice('');
    try {
      await api(`/studies/${encodeURIComponent(uid)}/${verb}`, { method: 'POST' });
      setNotice(t(verb === 'claim' ? 'action.claimed' : 'action.released', { patient: personName(study.patient.name) || study.patient.id }));
    } catch (error) {
      const found = problemOf(error);
      if (found.kind === 'conflict') setNotice(`${t('action.held_by')} ${found.message ?? ''}`);
      else if (found.kind !== 'expired') setProblem(found);
    }
    await load();
    setBusy(false);
  };

  const mine = study?.claimed_by === user.username;
  const [help, setHelp] = useState(false);
  useKeys({
    '?': () => setHelp(true),
    v: () => study && window.open(study.viewer_url, '_blank', 'noopener'),
    c: () => study && user.role === 'radiologist' && study.status === 'ready' && !busy && change('claim')(),
  });
  return (
    <section class="study-page" aria-labelledby="study-title" data-study={uid}>
      <p class="study-top">
        {user.role === 'facility' ? <a href="/app/inbox">← {t('report.back')}</a> : <a href="/app/worklist">← {t('study.back')}</a>}
        {user.role !== 'facility' && <KeyHelpButton onOpen={() => setHelp(true)} />}
      </p>
      <KeyHelp open={help} onClose={() => setHelp(false)} />
      <h1 id="study-title">{study ? personName(study.patient.name) || study.patient.id : t('study.title')}</h1>
      {problem && <ProblemBanner problem={problem} onRetry={load} />}
      {!study && !problem && <p aria-busy="true">{t('app.loading')}</p>}
      {study && (
        <>
          <div class="study-actions">
            {user.role === 'radiologist' && study.status === 'ready' && (
              <button type="button" disabled={busy} onClick={change('claim')} data-action="claim">
                {t('action.claim')}
              </button>
            )}
            {user.role !== 'facility' && mine && (
              <button type="button" class="secondary" disabled={busy} onClick={change('release')} data-action="release">
                {t('action.release')}
              </button>
            )}
            <a href={study.viewer_url} target="_blank" rel="noopener" role="button" class="outline" data-action="open" aria-keyshortcuts="v">
              {t('action.open')}
            </a>
          </div>
          <p aria-live="polite" class="notice" data-notice="action">
            {notice}
          </p>
          <PatientFacts study={study} now={now} me={user.username} />
          <SeriesList study={study} />
          <PriorStudies study={study} />
          <ReportSection study={study} canWrite={user.role === 'radiologist' && mine} canAddend={user.role === 'radiologist'} onSigned={load} />
        </>
      )}
    </section>
  );
}
