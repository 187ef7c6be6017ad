// The study's facts as a description list: the patient (sex, birth date and age on the
// study day), the sending facility, accession, date, description, priority, the
// clinical question, status, claim and the SLA time left as the worklist shows it.
import type { ComponentChildren } from 'preact';
import type { StudyDetail } from '../../api/types';
import { ageInYears, calendarDate } from '../../format';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';
import { SlaLeft } from '../StudyRow';

export function PatientFacts({ study, now, me }: { study: StudyDetail; now: number; me: string }) {
  const { t, lang, dateTime } = useI18n();
  const { patient } = study;
  const studyDay = study.study_date ? new Date(`${study.study_date.replace(/^(\d{4})-?(\d{2})-?(\d{2})$/, '$1-$2-$3')}T12:00:00Z`) : new Date(now);
  const age = ageInYears(patient.birth_date, Number.isNaN(studyDay.getTime()) ? new Date(now) : studyDay);
  const fact = (label: MessageKey, value: ComponentChildren, name: string) => (
    <div class="fact" data-fact={name}>
      <dt>{t(label)}</dt>
      <dd>{value || '—'}</dd>
    </div>
  );
  return (
    <dl class="study-facts">
      {fact('study.patient_id', patient.id, 'patient_id')}
      {fact('study.sex', ['M', 'F', 'O'].includes(patient.sex) ? t(`patient.sex.${patient.sex}` as MessageKey) : patient.sex, 'sex')}
      {fact(
        'study.birth_date',
        patient.birth_date && (
          <>
            {calendarDate(patient.birth_date, lang)}
            {age !== null && ` (${t('study.age', { n: age })})`}
          </>
        ),
        'birth_date',
      )}
      {fact('col.facility', `${study.facility.name} · ${study.facility.aimag}`, 'facility')}
      {fact('study.accession', study.accession_number, 'accession')}
      {fact('study.date', calendarDate(study.study_date, lang), 'study_date')}
      {fact('study.description', study.description, 'description')}
      {fact('col.priority', <span class={`badge badge-${study.priority}`}>{t(`priority.${study.priority}` as MessageKey)}</span>, 'priority')}
      {fact('study.clinical_info', study.clinical_info, 'clinical_info')}
      {fact('worklist.status', t(`status.${study.status}` as MessageKey), 'status')}
      {fact('study.claim', study.claimed_by ? (study.claimed_by === me ? t('claimed.you') : t('claimed.by', { user: study.claimed_by })) : '', 'claim')}
      {fact('col.sla', study.status === 'reported' ? dateTime(study.reported_at) : <SlaLeft dueAt={study.sla_due_at} now={now} />, 'sla')}
    </dl>
  );
}
