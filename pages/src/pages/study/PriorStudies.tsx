// The patient's other studies this user may see (the server's QIDO-RS answers only
// those), newest first, each with its signed report's impression when it has one.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, dicomweb, problemOf, type Problem } from '../../api/client';
import type { DicomJson, Report, StudyDetail } from '../../api/types';
import { ProblemBanner } from '../../components/ProblemBanner';
import { calendarDate } from '../../format';
import { useI18n } from '../../i18n/i18n';

// Enough to compare with; an older one is a click away in the viewer's study list.
const priorLimit = 10;

interface Prior {
  uid: string;
  date: string;
  description: string;
  modalities: string;
  impression: string | null; // null: no signed report
}

const first = (item: DicomJson, tag: string) => String(item[tag]?.Value?.[0] ?? '');

export function priorsOf(items: DicomJson[], current: string): Omit<Prior, 'impression'>[] {
  return items
    .map((item) => ({
      uid: first(item, '0020000D'),
      date: first(item, '00080020'),
      description: first(item, '00081030'),
      modalities: (item['00080061']?.Value ?? []).join(', '),
    }))
    .filter((prior) => prior.uid && prior.uid !== current)
    .sort((a, b) => b.date.localeCompare(a.date))
    .slice(0, priorLimit);
}

async function signedImpression(uid: string): Promise<string | null> {
  try {
    const report = await api<Report>(`/studies/${encodeURIComponent(uid)}/report`);
    return report.status === 'final' ? report.impression : null;
  } catch (error) {
    if (error instanceof ApiError && error.problem.kind === 'not_found') return null;
    throw error;
  }
}

export function PriorStudies({ study }: { study: StudyDetail }) {
  const { t, lang } = useI18n();
  const [priors, setPriors] = useState<Prior[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = async () => {
    try {
      const found = await dicomweb<DicomJson[] | null>(`/studies?PatientID=${encodeURIComponent(study.patient.id)}`);
      const listed = priorsOf(found ?? [], study.study_uid);
      const impressions = await Promise.all(listed.map((prior) => signedImpression(prior.uid)));
      setPriors(listed.map((prior, i) => ({ ...prior, impression: impressions[i] })));
      setProblem(null);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  };
  useEffect(() => {
    setPriors(null);
    if (study.patient.id) load();
    else setPriors([]);
  }, [study.study_uid, study.patient.id]);

  return (
    <section aria-labelledby="priors-title" class="priors-section" data-priors={priors ? 'loaded' : 'loading'}>
      <h2 id="priors-title">{t('study.priors')}</h2>
      {problem && <ProblemBanner problem={problem} onRetry={load} />}
      {!priors && !problem && <p aria-busy="true">{t('app.loading')}</p>}
      {priors && !priors.length && <p>{t('study.priors.none')}</p>}
      {priors && priors.length > 0 && (
        <ul class="prior-list">
          {priors.map((prior) => (
            <li key={prior.uid} data-prior={prior.uid}>
              <a href={`/app/studies/${encodeURIComponent(prior.uid)}`}>
                {calendarDate(prior.date, lang)} · {prior.modalities || '—'} · {prior.description || '—'}
              </a>
              <br />
              <small data-impression={prior.impression === null ? 'none' : 'signed'}>
                {prior.impression === null ? t('study.priors.unreported') : `${t('study.report.impression')}: ${prior.impression}`}
              </small>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
