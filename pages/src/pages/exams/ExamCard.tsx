// One e-examination as both sides read it: the patient, its status, the specialty and
// reason, the preferred time and the slot (Ulaanbaatar time, Mongolian format through
// useI18n), the specialist, and once completed the conclusion and its codes. The
// page puts its own actions under it (children).
import type { ComponentChildren } from 'preact';
import { calendarDate, personName } from '../../format';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';
import { CodeTitles } from './CodeTitles';
import { specialtyLabel, type Consultation } from './consultation';

export function StatusBadge({ status }: { status: Consultation['status'] }) {
  const { t } = useI18n();
  return (
    <span class={`badge exam-status exam-status-${status}`} data-field="status" data-status={status}>
      {t(`exams.status.${status}` as MessageKey)}
    </span>
  );
}

export function ExamCard({ exam, showFacility, children }: { exam: Consultation; showFacility?: boolean; children?: ComponentChildren }) {
  const { t, dateTime, lang } = useI18n();
  const name = personName(exam.patient.name);
  const sex = exam.patient.sex ? t(`exams.sex.${exam.patient.sex}` as MessageKey) : '';
  return (
    <article class={`exam-card exam-${exam.status}`} data-exam={exam.id} aria-labelledby={`exam-${exam.id}-title`}>
      <header>
        <h3 id={`exam-${exam.id}-title`}>
          {name || exam.patient.id} <small>{name && exam.patient.id}</small>
        </h3>
        <StatusBadge status={exam.status} />
      </header>
      <dl class="exam-facts">
        {(exam.patient.birth_date || sex) && (
          <>
            <dt>{t('exams.field.patient')}</dt>
            <dd>{[exam.patient.birth_date && calendarDate(exam.patient.birth_date, lang), sex].filter(Boolean).join(' · ')}</dd>
          </>
        )}
        {showFacility && (
          <>
            <dt>{t('exams.field.facility')}</dt>
            <dd data-field="facility">
              {exam.facility.name} <small>({exam.facility.aimag})</small>
            </dd>
          </>
        )}
        <dt>{t('exams.field.specialty')}</dt>
        <dd data-field="specialty">{specialtyLabel(t, exam.specialty)}</dd>
        <dt>{t('exams.field.reason')}</dt>
        <dd data-field="reason" class="exam-text">
          {exam.reason}
        </dd>
        <dt>{t('exams.field.requested_at')}</dt>
        <dd>
          <time dateTime={exam.requested_at} data-field="requested_at">
            {dateTime(exam.requested_at)}
          </time>
        </dd>
        <dt>{t('exams.field.booked_at')}</dt>
        <dd>
          <time dateTime={exam.created_at}>{dateTime(exam.created_at)}</time>
        </dd>
        {exam.slot_at && (
          <>
            <dt>{t('exams.field.slot')}</dt>
            <dd>
              <time dateTime={exam.slot_at} data-field="slot">
                {dateTime(exam.slot_at)}
              </time>{' '}
              <small>{t('exams.ub_time_short')}</small>
            </dd>
          </>
        )}
        {exam.specialist && (
          <>
            <dt>{t('exams.field.specialist')}</dt>
            <dd data-field="specialist">{exam.specialist}</dd>
          </>
        )}
        {exam.status === 'completed' && (
          <>
            <dt>{t('exams.field.conclusion')}</dt>
            <dd data-field="conclusion" class="exam-text">
              {exam.conclusion}
            </dd>
            <dt>{t('exams.field.codes')}</dt>
            <dd data-field="codes">
              <CodeTitles codes={exam.icd_codes} />
            </dd>
          </>
        )}
        {exam.cancel_reason && (
          <>
            <dt>{t('exams.field.cancel_reason')}</dt>
            <dd data-field="cancel_reason" class="exam-text">
              {exam.cancel_reason}
            </dd>
          </>
        )}
      </dl>
      {children && <footer class="exam-actions">{children}</footer>}
    </article>
  );
}
