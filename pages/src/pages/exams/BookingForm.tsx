// The facility books an e-examination (POST /api/v1/consultations): the patient (id
// required; name, birth date, sex), the specialty, the reason and the preferred time in
// Ulaanbaatar time. The form checks what the server would refuse before sending and
// names each problem next to its field (aria-invalid, aria-describedby); the first bad
// field takes the focus. A refusal of the server is said by the banner, the input kept.
import { useRef, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from '../../api/client';
import { ProblemBanner } from '../../components/ProblemBanner';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';
import { nextWholeHour, specialties, specialtyLabel, ulaanbaatarInputOf, ulaanbaatarInputToRfc3339, type Consultation } from './consultation';

interface Draft {
  patient_id: string;
  patient_name: string;
  birth_date: string;
  sex: string;
  specialty: string;
  reason: string;
  requested_at: string;
}
type Field = keyof Draft;
type Errors = Partial<Record<Field, MessageKey>>;

const emptyDraft = (): Draft => ({
  patient_id: '',
  patient_name: '',
  birth_date: '',
  sex: '',
  specialty: '',
  reason: '',
  requested_at: ulaanbaatarInputOf(nextWholeHour(new Date())),
});

const order: Field[] = ['patient_id', 'patient_name', 'birth_date', 'sex', 'specialty', 'reason', 'requested_at'];
const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

export function validateBooking(d: Draft, now: Date): Errors {
  const errors: Errors = {};
  const id = d.patient_id.trim();
  if (!id) errors.patient_id = 'exams.error.patient_id';
  else if (utf8Bytes(id) > 64) errors.patient_id = 'exams.error.patient_id_long';
  if ([...d.patient_name.trim()].length > 256) errors.patient_name = 'exams.error.name_long';
  if (d.birth_date) {
    const birth = Date.parse(d.birth_date + 'T00:00:00Z');
    if (Number.isNaN(birth) || birth > now.getTime()) errors.birth_date = 'exams.error.birth_date';
  }
  if (!d.specialty) errors.specialty = 'exams.error.specialty';
  const reason = d.reason.trim();
  if (!reason) errors.reason = 'exams.error.reason';
  else if (utf8Bytes(reason) > 4096) errors.reason = 'exams.error.reason_long';
  const when = ulaanbaatarInputToRfc3339(d.requested_at);
  if (!when) errors.requested_at = 'exams.error.requested_at';
  // A minute's grace: the default (the next whole hour) is never refused as past.
  else if (Date.parse(when) < now.getTime() - 60_000) errors.requested_at = 'exams.error.requested_past';
  return errors;
}

export function BookingForm({ onBooked }: { onBooked: (booked: Consultation) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const set = (field: Field) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement).value;
    setDraft({ ...draft, [field]: value });
    if (errors[field]) setErrors({ ...errors, [field]: undefined });
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validateBooking(draft, new Date());
    setErrors(found);
    const first = order.find((field) => found[field]);
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`[name=${first}]`)?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const booked = await api<Consultation>('/consultations', {
        method: 'POST',
        body: {
          patient: { id: draft.patient_id.trim(), name: draft.patient_name.trim(), birth_date: draft.birth_date || null, sex: draft.sex },
          specialty: draft.specialty,
          reason: draft.reason.trim(),
          requested_at: ulaanbaatarInputToRfc3339(draft.requested_at),
        },
      });
      setDraft(emptyDraft());
      onBooked(booked);
    } catch (error) {
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    } finally {
      setBusy(false);
    }
  };

  // A field's error props: marked invalid and described by its message.
  const invalid = (field: Field) =>
    errors[field] ? { 'aria-invalid': 'true' as const, 'aria-describedby': `book-${field}-error` } : {};
  const message = (field: Field) =>
    errors[field] && (
      <small id={`book-${field}-error`} class="field-error" data-error={field}>
        {t(errors[field]!)}
      </small>
    );

  return (
    <form ref={formRef} class="booking-form" onSubmit={submit} noValidate data-form="booking" aria-labelledby="book-title">
      <h2 id="book-title">{t('exams.book.title')}</h2>
      {problem && <ProblemBanner problem={problem} onRetry={() => formRef.current?.requestSubmit()} />}
      <fieldset>
        <legend>{t('exams.book.patient')}</legend>
        <div class="grid">
          <label>
            {t('exams.field.patient_id')} <span aria-hidden="true">*</span>
            <input name="patient_id" required maxLength={64} value={draft.patient_id} onInput={set('patient_id')} {...invalid('patient_id')} />
            {message('patient_id')}
          </label>
          <label>
            {t('exams.field.patient_name')}
            <input name="patient_name" value={draft.patient_name} onInput={set('patient_name')} {...invalid('patient_name')} />
            {message('patient_name')}
          </label>
        </div>
        <div class="grid">
          <label>
            {t('exams.field.birth_date')}
            <input name="birth_date" type="date" value={draft.birth_date} onInput={set('birth_date')} {...invalid('birth_date')} />
            {message('birth_date')}
          </label>
          <label>
            {t('exams.field.sex')}
            <select name="sex" value={draft.sex} onChange={set('sex')}>
              <option value="">{t('exams.sex.unknown')}</option>
              <option value="F">{t('exams.sex.F')}</option>
              <option value="M">{t('exams.sex.M')}</option>
              <option value="O">{t('exams.sex.O')}</option>
            </select>
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('exams.book.request')}</legend>
        <div class="grid">
          <label>
            {t('exams.field.specialty')} <span aria-hidden="true">*</span>
            <select name="specialty" required value={draft.specialty} onChange={set('specialty')} {...invalid('specialty')}>
              <option value="">{t('exams.specialty.choose')}</option>
              {specialties.map((s) => (
                <option value={s} key={s}>
                  {specialtyLabel(t, s)}
                </option>
              ))}
            </select>
            {message('specialty')}
          </label>
          <label>
            {t('exams.field.requested_at')} <span aria-hidden="true">*</span>
            <input name="requested_at" type="datetime-local" required value={draft.requested_at} onInput={set('requested_at')} {...invalid('requested_at')} />
            <small>{t('exams.ub_time')}</small>
            {message('requested_at')}
          </label>
        </div>
        <label>
          {t('exams.field.reason')} <span aria-hidden="true">*</span>
          <textarea name="reason" rows={3} required value={draft.reason} onInput={set('reason')} {...invalid('reason')} />
          {message('reason')}
        </label>
        <p class="specialist-note">
          <small>{t('exams.book.specialist_note')}</small>
        </p>
      </fieldset>
      <button type="submit" disabled={busy} aria-busy={busy} data-action="book">
        {t('exams.book.submit')}
      </button>
    </form>
  );
}
