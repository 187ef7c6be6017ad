// The specialist's queue (/app/queue): bookings still requested, any facility, longest
// waiting first; then the ones this specialist accepted, by slot (Ulaanbaatar time);
// then the latest it completed; the waiting ones of one specialty if it picks one. Accept a booking with a slot, complete an accepted one
// with a conclusion and ICD-10 codes, mark it not attended, or give it back (cancel,
// with a reason the facility reads). Refreshed every 15 s while the tab is visible and
// no form is open; every change carries the version read (a stale one is refused and
// the list reloaded).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { api, problemOf } from '../../api/client';
import { ProblemBanner } from '../../components/ProblemBanner';
import { personName } from '../../format';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';
import { ConfirmAction } from './ConfirmAction';
import { specialties, specialtyLabel, type Consultation } from './consultation';
import { ExamCard } from './ExamCard';
import { AcceptForm, CompleteForm } from './QueueForms';
import { RefreshState } from './RefreshState';
import { useExamLists } from './useExamLists';

const refreshMs = 15_000;
// The requested ones of one specialty when the specialist picks it (kept in the URL).
const queriesOf = (specialty: string) => [
  '?status=requested&limit=200' + (specialty ? '&specialty=' + encodeURIComponent(specialty) : ''),
  '?status=accepted&limit=200',
  '?status=completed&limit=10',
];
const byTime = (field: 'created_at' | 'slot_at') => (a: Consultation, b: Consultation) =>
  Date.parse(a[field] ?? '') - Date.parse(b[field] ?? '') || a.id - b.id;

type Open = { id: number; form: 'accept' | 'complete' } | null;

export function Queue() {
  const { t } = useI18n();
  const { query, route } = useLocation();
  const specialty = query.specialty ?? '';
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState('');
  const { lists, problem, setProblem, updatedAt, visible, load } = useExamLists(queriesOf(specialty), refreshMs, busy || open !== null);
  const requested = lists ? [...lists[0]].sort(byTime('created_at')) : null;
  const accepted = lists ? [...lists[1]].sort(byTime('slot_at')) : null;
  const completed = lists ? lists[2] : null;
  const patientOf = (exam: Consultation) => personName(exam.patient.name) || exam.patient.id;

  // One transition: POST …/{id}/{action} with the version read; said in words after.
  const act = async (exam: Consultation, action: string, body: Record<string, unknown>, done: MessageKey) => {
    setBusy(true);
    setNotice('');
    try {
      await api(`/consultations/${exam.id}/${action}`, { method: 'POST', body: { ...body, version: exam.version } });
      setNotice(t(done, { patient: patientOf(exam) }));
      setOpen(null);
      setProblem(null);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind === 'conflict') {
        setNotice(t('exams.changed', { patient: patientOf(exam) }));
        setOpen(null);
      }
      if (found.kind !== 'expired') setProblem(found);
    }
    await load().catch(() => {});
    setBusy(false);
  };
  const close = () => setOpen(null);
  const isOpen = (exam: Consultation, form: 'accept' | 'complete') => open?.id === exam.id && open.form === form;

  return (
    <section class="exams queue" aria-labelledby="queue-title">
      <hgroup>
        <h1 id="queue-title">{t('exams.queue.title')}</h1>
        <RefreshState visible={visible} updatedAt={updatedAt} onRefresh={load} />
      </hgroup>
      <label class="specialty-filter">
        {t('exams.queue.specialty')}
        <select
          name="specialty"
          value={specialty}
          onChange={(e) => {
            const value = (e.currentTarget as HTMLSelectElement).value;
            route('/app/queue' + (value ? '?specialty=' + encodeURIComponent(value) : ''));
          }}
        >
          <option value="">{t('worklist.any')}</option>
          {specialties.map((s) => (
            <option value={s} key={s}>
              {specialtyLabel(t, s)}
            </option>
          ))}
        </select>
      </label>
      <p aria-live="polite" class="notice" data-notice="action">
        {notice}
      </p>
      {problem && <ProblemBanner problem={problem} onRetry={load} />}
      {!lists && !problem && <p aria-busy="true">{t('app.loading')}</p>}
      {requested && (
        <QueueSection id="requested" title="exams.queue.requested" empty="exams.queue.requested.empty" count={requested.length}>
          {requested.map((exam) => (
            <ExamCard key={exam.id} exam={exam} showFacility>
              {isOpen(exam, 'accept') ? (
                <AcceptForm exam={exam} busy={busy} onClose={close} onAccept={(slot_at) => act(exam, 'accept', { slot_at }, 'exams.accepted')} />
              ) : (
                <button type="button" disabled={busy} onClick={() => setOpen({ id: exam.id, form: 'accept' })} data-action="accept">
                  {t('exams.accept')}
                </button>
              )}
            </ExamCard>
          ))}
        </QueueSection>
      )}
      {accepted && (
        <QueueSection id="accepted" title="exams.queue.accepted" empty="exams.queue.accepted.empty" count={accepted.length}>
          {accepted.map((exam) => (
            <ExamCard key={exam.id} exam={exam} showFacility>
              {isOpen(exam, 'complete') ? (
                <CompleteForm
                  exam={exam}
                  busy={busy}
                  onClose={close}
                  onComplete={(conclusion, icd_codes) => act(exam, 'complete', { conclusion, icd_codes }, 'exams.completed')}
                />
              ) : (
                <>
                  <button type="button" disabled={busy} onClick={() => setOpen({ id: exam.id, form: 'complete' })} data-action="complete">
                    {t('exams.complete')}
                  </button>
                  <ConfirmAction
                    name="no-show"
                    id={exam.id}
                    label="exams.no_show"
                    question="exams.no_show.question"
                    yes="exams.no_show.yes"
                    busy={busy}
                    onConfirm={() => act(exam, 'no-show', {}, 'exams.no_show.done')}
                  />
                  <ConfirmAction
                    name="cancel"
                    id={exam.id}
                    label="exams.give_back"
                    question="exams.give_back.question"
                    yes="exams.give_back.yes"
                    reason="required"
                    busy={busy}
                    onConfirm={(reason) => act(exam, 'cancel', { reason }, 'exams.cancelled')}
                  />
                </>
              )}
            </ExamCard>
          ))}
        </QueueSection>
      )}
      {completed && completed.length > 0 && (
        <QueueSection id="completed" title="exams.queue.completed" empty="exams.queue.requested.empty" count={completed.length}>
          {completed.map((exam) => (
            <ExamCard key={exam.id} exam={exam} showFacility />
          ))}
        </QueueSection>
      )}
    </section>
  );
}

function QueueSection({ id, title, empty, count, children }: { id: string; title: MessageKey; empty: MessageKey; count: number; children: ComponentChildren }) {
  const { t, number } = useI18n();
  return (
    <section aria-labelledby={`queue-${id}-title`} data-section={id}>
      <h2 id={`queue-${id}-title`}>
        {t(title)} <small class="count">({number(count)})</small>
      </h2>
      {count ? <div class="exam-list">{children}</div> : <p data-empty="true">{t(empty)}</p>}
    </section>
  );
}
