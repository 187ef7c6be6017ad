// One study's report as a page to read and print: the facility, the patient, the study,
// findings, impression, the ICD codes with their titles, the critical flag, who signed
// it and when, and the addenda. The print stylesheet (styles.css, @media print) leaves
// out the navigation and the buttons and prints black on white on A4; the browser's
// print dialog also saves it as PDF. A facility user is answered signed reports only
// (the API refuses a draft): that refusal is said in words.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso/router';
import { api, problemOf, type Problem } from '../api/client';
import type { DiagnosisCode, Page, Report, Study } from '../api/types';
import { ProblemBanner } from '../components/ProblemBanner';
import { personName } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/mn';
import { useUser } from '../session';

// ICD-10 codes are a letter, two digits and an optional decimal part (J18.9); the
// rest the report may carry are ICD-11 (CA40.0, 2C25.0&XH7SY1).
const systemOf = (code: string) => (/^[A-Z]\d\d(\.\d+)?$/.test(code) ? 'icd10' : 'icd11');

// Each code's entry in the server's code list; a code the list no longer holds is
// shown by its code alone.
async function codeEntries(codes: string[]): Promise<Record<string, DiagnosisCode>> {
  const found: Record<string, DiagnosisCode> = {};
  await Promise.all(
    codes.map(async (code) => {
      const params = new URLSearchParams({ system: systemOf(code), q: code, limit: '5' });
      const page = await api<Page<DiagnosisCode>>('/codes?' + params.toString());
      const exact = page.items.find((entry) => entry.code === code);
      if (exact) found[code] = exact;
    }),
  );
  return found;
}

interface Loaded {
  study: Study;
  report: Report;
  codes: Record<string, DiagnosisCode>;
}

export function ReportPage() {
  const { t, lang, dateTime } = useI18n();
  const { params } = useRoute();
  const uid = params.study_uid ?? '';
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    try {
      const path = `/studies/${encodeURIComponent(uid)}`;
      const [study, report] = await Promise.all([api<Study>(path), api<Report>(path + '/report')]);
      const codes = await codeEntries(report.icd_codes).catch(() => ({}));
      setLoaded({ study, report, codes });
      setProblem(null);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  }, [uid]);
  useEffect(() => {
    load();
  }, [load]);

  if (problem)
    return (
      <section class="report-page" aria-labelledby="report-title">
        <h1 id="report-title">{t('report.title')}</h1>
        {(problem.kind === 'refused' || problem.kind === 'not_found') && (
          <p class="report-unavailable" data-report="unavailable">
            {t('report.unavailable')}
          </p>
        )}
        <ProblemBanner problem={problem} onRetry={load} />
        <BackToInbox />
      </section>
    );
  if (!loaded) return <p aria-busy="true">{t('app.loading')}</p>;
  const { study, report, codes } = loaded;
  const title = (entry: DiagnosisCode | undefined) =>
    !entry ? '' : lang === 'mn' ? entry.title_mn || entry.title_en : entry.title_en || entry.title_mn;
  return (
    <article class="report-page" aria-labelledby="report-title" data-report={report.status}>
      <div class="no-print report-actions">
        <BackToInbox />
        <button type="button" onClick={() => window.print()} data-action="print">
          {t('report.print')}
        </button>
      </div>
      <header class="report-head">
        <p class="report-facility" data-field="facility">
          <strong>{study.facility.name}</strong> · {study.facility.aimag}
        </p>
        <h1 id="report-title">{t('report.title')}</h1>
        {report.status !== 'final' && <p class="report-draft">{t('report.draft')}</p>}
      </header>
      <dl class="report-facts">
        <dt>{t('col.patient')}</dt>
        <dd data-field="patient">
          {personName(study.patient.name) || '—'} · {study.patient.id}
          {study.patient.birth_date && ` · ${t('report.born')} ${study.patient.birth_date}`}
          {['M', 'F', 'O'].includes(study.patient.sex) && ` · ${t(`patient.sex.${study.patient.sex}` as MessageKey)}`}
        </dd>
        <dt>{t('col.study')}</dt>
        <dd data-field="study">
          {t(`modality.${study.modality_class}` as MessageKey)} ({study.modalities.join(', ')})
          {study.description && ` · ${study.description}`}
          {study.study_date && ` · ${study.study_date}`}
          {study.accession_number && ` · ${t('report.accession')} ${study.accession_number}`}
        </dd>
        {study.clinical_info && (
          <>
            <dt>{t('inbox.clinical')}</dt>
            <dd>{study.clinical_info}</dd>
          </>
        )}
      </dl>
      {report.critical && (
        <p class="report-critical" data-field="critical" role="note">
          <strong>{t('inbox.critical')}</strong>{' '}
          {report.critical_acknowledged_at
            ? t('report.acknowledged', { user: report.critical_acknowledged_by ?? '', time: dateTime(report.critical_acknowledged_at) })
            : t('report.not_acknowledged')}
        </p>
      )}
      <h2>{t('report.findings')}</h2>
      <p class="report-text" data-field="findings">
        {report.findings}
      </p>
      <h2>{t('report.impression')}</h2>
      <p class="report-text" data-field="impression">
        {report.impression}
      </p>
      {report.icd_codes.length > 0 && (
        <>
          <h2>{t('report.codes')}</h2>
          <ul class="report-codes" data-field="codes">
            {report.icd_codes.map((code) => (
              <li key={code} data-code={code}>
                <strong>{code}</strong> {title(codes[code])}
              </li>
            ))}
          </ul>
        </>
      )}
      <p class="report-signature" data-field="signature">
        {report.signed_at
          ? t('report.signed', { user: report.signed_by ?? '', time: dateTime(report.signed_at) })
          : t('report.author', { user: report.author })}
      </p>
      {report.addenda.length > 0 && (
        <section aria-labelledby="addenda-title">
          <h2 id="addenda-title">{t('report.addenda')}</h2>
          {report.addenda.map((addendum, i) => (
            <div class="report-addendum" key={i} data-field="addendum">
              <p class="report-text">{addendum.text}</p>
              <p>
                <small>{t('report.signed', { user: addendum.author, time: dateTime(addendum.created_at) })}</small>
              </p>
            </div>
          ))}
        </section>
      )}
    </article>
  );
}

function BackToInbox() {
  const { t } = useI18n();
  const facility = useUser().role === 'facility';
  return (
    <a href={facility ? '/app/inbox' : '/app/worklist'} class="secondary no-print">
      {t(facility ? 'report.back' : 'report.back.worklist')}
    </a>
  );
}
