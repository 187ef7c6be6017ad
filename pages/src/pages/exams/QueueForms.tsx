// The specialist's two forms on a queue card: accept with a slot (a date and time in
// Ulaanbaatar time; proposed: the facility's preferred time if still ahead, else the
// next whole hour) and complete with a conclusion and ICD-10 or ICD-11 codes (CodePicker). Each
// checks its input before sending and names a problem next to its field.
import { useEffect, useRef, useState } from 'preact/hooks';
import { CodePicker } from '../../components/CodePicker';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';
import { nextWholeHour, ulaanbaatarInputOf, ulaanbaatarInputToRfc3339, type Consultation } from './consultation';

interface FormProps {
  exam: Consultation;
  busy: boolean;
  onClose: () => void;
}

function useFirstFieldFocus() {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => ref.current?.querySelector<HTMLElement>('input, textarea')?.focus(), []);
  return ref;
}

function FieldError({ id, error }: { id: string; error: MessageKey | null }) {
  const { t } = useI18n();
  return error ? (
    <small id={id} class="field-error" data-error={id}>
      {t(error)}
    </small>
  ) : null;
}

export function AcceptForm({ exam, busy, onClose, onAccept }: FormProps & { onAccept: (slotAt: string) => void }) {
  const { t } = useI18n();
  const ref = useFirstFieldFocus();
  const preferred = new Date(exam.requested_at);
  const [slot, setSlot] = useState(() => ulaanbaatarInputOf(preferred.getTime() > Date.now() ? preferred : nextWholeHour(new Date())));
  const [error, setError] = useState<MessageKey | null>(null);
  const errorId = `slot-${exam.id}-error`;
  const submit = (event: Event) => {
    event.preventDefault();
    const slotAt = ulaanbaatarInputToRfc3339(slot);
    if (!slotAt) return setError('exams.error.slot');
    if (Date.parse(slotAt) < Date.now() - 60_000) return setError('exams.error.slot_past');
    onAccept(slotAt);
  };
  return (
    <form ref={ref} class="queue-form" onSubmit={submit} noValidate data-form="accept" aria-label={t('exams.accept.title')}>
      <label>
        {t('exams.field.slot')} <small>({t('exams.ub_time_short')})</small>
        <input
          name="slot_at"
          type="datetime-local"
          required
          value={slot}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? errorId : undefined}
          onInput={(e) => {
            setSlot((e.currentTarget as HTMLInputElement).value);
            setError(null);
          }}
        />
        <FieldError id={errorId} error={error} />
      </label>
      <div class="confirm-buttons">
        <button type="submit" disabled={busy} aria-busy={busy} data-action="accept-confirm">
          {t('exams.accept.submit')}
        </button>
        <button type="button" class="secondary outline" onClick={onClose}>
          {t('exams.confirm.no')}
        </button>
      </div>
    </form>
  );
}

export function CompleteForm({ exam, busy, onClose, onComplete }: FormProps & { onComplete: (conclusion: string, codes: string[]) => void }) {
  const { t } = useI18n();
  const ref = useFirstFieldFocus();
  const [conclusion, setConclusion] = useState('');
  const [codes, setCodes] = useState<string[]>([]);
  const [error, setError] = useState<MessageKey | null>(null);
  const errorId = `conclusion-${exam.id}-error`;
  const submit = (event: Event) => {
    event.preventDefault();
    const text = conclusion.trim();
    if (!text) {
      setError('exams.error.conclusion');
      ref.current?.querySelector<HTMLElement>('textarea')?.focus();
      return;
    }
    onComplete(text, codes);
  };
  return (
    <form ref={ref} class="queue-form" onSubmit={submit} noValidate data-form="complete" aria-label={t('exams.complete.title')}>
      <label>
        {t('exams.field.conclusion')} <span aria-hidden="true">*</span>
        <textarea
          name="conclusion"
          rows={4}
          required
          value={conclusion}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? errorId : undefined}
          onInput={(e) => {
            setConclusion((e.currentTarget as HTMLTextAreaElement).value);
            setError(null);
          }}
        />
        <FieldError id={errorId} error={error} />
      </label>
      <CodePicker id={`codes-${exam.id}`} systems={['icd10', 'icd11']} label={t('exams.field.codes')} value={codes} onChange={setCodes} />
      <div class="confirm-buttons">
        <button type="submit" disabled={busy} aria-busy={busy} data-action="complete-confirm">
          {t('exams.complete.submit')}
        </button>
        <button type="button" class="secondary outline" onClick={onClose}>
          {t('exams.confirm.no')}
        </button>
      </div>
    </form>
  );
}
