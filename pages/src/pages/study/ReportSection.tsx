// The study's report: a signed report in full, read-only (findings, impression, ICD
// codes with their titles from the server's code list, critical flag, signer and time,
// addenda), with the addendum form for radiologists; a draft only as "being written
// by", except for the radiologist holding the study, who gets the editor.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, problemOf, type Problem } from '../../api/client';
import type { DiagnosisCode, Page, Report, StudyDetail } from '../../api/types';
import { ProblemBanner } from '../../components/ProblemBanner';
import { useI18n } from '../../i18n/i18n';
import { AddendumForm } from './editor/AddendumForm';
import { ReportEditor } from './editor/ReportEditor';

// The code's own entry in ICD-10 (the exact code ranks first in the server's search).
async function titleOf(code: string): Promise<DiagnosisCode | null> {
  const found = await api<Page<DiagnosisCode>>(`/codes?system=icd10&q=${encodeURIComponent(code)}&limit=1`);
  return found.items.find((entry) => entry.code === code) ?? null;
}

export function ReportSection({ study, canWrite, canAddend, onSigned }: {
  study: StudyDetail;
  canWrite: boolean;
  canAddend: boolean;
  onSigned: () => void;
}) {
  const { t, lang, dateTime } = useI18n();
  const [report, setReport] = useState<Report | null | undefined>(undefined); // null: none
  const [codes, setCodes] = useState<Record<string, DiagnosisCode | null>>({});
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = async () => {
    try {
      const found = await api<Report>(`/studies/${encodeURIComponent(study.study_uid)}/report`);
      setReport(found);
      setProblem(null);
      const titles = await Promise.all(found.icd_codes.map(titleOf));
      setCodes(Object.fromEntries(found.icd_codes.map((code, i) => [code, titles[i]])));
    } catch (error) {
      if (error instanceof ApiError && error.problem.kind === 'not_found') return setReport(null);
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  };
  // Another study: nothing of the last one's report is shown while this one loads. The
  // same study whose status changed (just signed): the shown report stays until the new
  // answer replaces it, so an addendum being typed is not unmounted mid-word.
  useEffect(() => setReport(undefined), [study.study_uid]);
  useEffect(() => {
    load();
  }, [study.study_uid, study.report_status]);

  const final = report?.status === 'final' ? report : null;
  return (
    <section aria-labelledby="report-title" class="report-section" data-report={report === undefined ? 'loading' : report ? report.status : 'none'}>
      <h2 id="report-title">{t('study.report.title')}</h2>
      {problem && <ProblemBanner problem={problem} onRetry={load} />}
      {report === undefined && !problem && <p aria-busy="true">{t('app.loading')}</p>}
      {report === null && <p>{t('study.report.none')}</p>}
      {report?.status === 'draft' && !canWrite && <p>{t('study.report.draft', { user: report.author })}</p>}
      {final && (
        <article class="report-final">
          {final.critical && (
            <p class="report-critical" role="note" data-critical="true">
              <strong>{t('study.report.critical')}</strong>
            </p>
          )}
          <h3>{t('study.report.findings')}</h3>
          <p class="report-text">{final.findings || '—'}</p>
          <h3>{t('study.report.impression')}</h3>
          <p class="report-text">{final.impression || '—'}</p>
          <h3>{t('study.report.codes')}</h3>
          {final.icd_codes.length ? (
            <ul data-codes="true">
              {final.icd_codes.map((code) => {
                const entry = codes[code];
                const title = entry ? (lang === 'mn' ? entry.title_mn || entry.title_en : entry.title_en || entry.title_mn) : '';
                return (
                  <li key={code}>
                    <code>{code}</code>
                    {title && <> — {title}</>}
                  </li>
                );
              })}
            </ul>
          ) : (
            <p>—</p>
          )}
          <footer>
            {t('study.report.signed', { user: final.signed_by ?? final.author, time: dateTime(final.signed_at) })}
          </footer>
          {final.addenda.length > 0 && (
            <>
              <h3>{t('study.report.addenda')}</h3>
              <ol class="report-addenda">
                {final.addenda.map((addendum, i) => (
                  <li key={i}>
                    <p class="report-text">{addendum.text}</p>
                    <small>{t('study.report.signed', { user: addendum.author, time: dateTime(addendum.created_at) })}</small>
                  </li>
                ))}
              </ol>
            </>
          )}
        </article>
      )}
      {final && canAddend && <AddendumForm studyUid={study.study_uid} onAdded={setReport} />}
      {canWrite && report !== undefined && report?.status !== 'final' && (
        <ReportEditor
          key={study.study_uid}
          study={study}
          server={report}
          onSigned={(signed) => {
            setReport(signed);
            onSigned();
          }}
        />
      )}
    </section>
  );
}
