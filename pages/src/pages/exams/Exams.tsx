// The facility's e-examinations (/app/exams): book one (BookingForm) and follow its
// bookings: status, preferred time, the slot and specialist once accepted, the
// conclusion and codes once completed (the API answers a facility user its own only,
// newest first). Refreshed every 15 s while the tab is visible, so an acceptance or a
// conclusion appears without a reload. A booking still requested or accepted can be
// cancelled, after a confirmation.
import { useState } from 'preact/hooks';
import { api, problemOf } from '../../api/client';
import { ProblemBanner } from '../../components/ProblemBanner';
import { personName } from '../../format';
import { useI18n } from '../../i18n/i18n';
import { BookingForm } from './BookingForm';
import { ConfirmAction } from './ConfirmAction';
import type { Consultation } from './consultation';
import { ExamCard } from './ExamCard';
import { RefreshState } from './RefreshState';
import { useExamLists } from './useExamLists';

const refreshMs = 15_000;
const listQuery = '?limit=100';

export function Exams() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const { lists, problem, setProblem, updatedAt, visible, load } = useExamLists([listQuery], refreshMs, busy);
  const exams = lists?.[0] ?? null;
  const patientOf = (exam: Consultation) => personName(exam.patient.name) || exam.patient.id;

  const booked = (exam: Consultation) => {
    setNotice(t('exams.booked', { patient: patientOf(exam) }));
    load();
  };
  const cancel = async (exam: Consultation, reason: string) => {
    setBusy(true);
    setNotice('');
    try {
      await api(`/consultations/${exam.id}/cancel`, { method: 'POST', body: { reason, version: exam.version } });
      setNotice(t('exams.cancelled', { patient: patientOf(exam) }));
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
    await load();
    setBusy(false);
  };

  return (
    <section class="exams" aria-labelledby="exams-title">
      <hgroup>
        <h1 id="exams-title">{t('exams.title')}</h1>
        <RefreshState visible={visible} updatedAt={updatedAt} onRefresh={load} />
      </hgroup>
      <BookingForm onBooked={booked} />
      <p aria-live="polite" class="notice" data-notice="action">
        {notice}
      </p>
      <section aria-labelledby="exams-list-title" data-loaded={exams ? 'true' : undefined}>
        <h2 id="exams-list-title">{t('exams.list.title')}</h2>
        {problem && <ProblemBanner problem={problem} onRetry={load} />}
        {!exams && !problem && <p aria-busy="true">{t('app.loading')}</p>}
        {exams &&
          (exams.length ? (
            <div class="exam-list">
              {exams.map((exam) => (
                <ExamCard key={exam.id} exam={exam}>
                  {(exam.status === 'requested' || exam.status === 'accepted') && (
                    <ConfirmAction
                      name="cancel"
                      id={exam.id}
                      label="exams.cancel"
                      question="exams.cancel.question"
                      yes="exams.cancel.yes"
                      reason="optional"
                      busy={busy}
                      onConfirm={(reason) => cancel(exam, reason)}
                    />
                  )}
                </ExamCard>
              ))}
            </div>
          ) : (
            <p data-empty="true">{t('exams.list.empty')}</p>
          ))}
      </section>
    </section>
  );
}
