// An action that cannot be undone (cancel, not attended), asked twice: the first
// button opens a short question in place (with a reason field when the action takes
// one), whose "yes" does it and whose "no" closes it. The question takes the focus so a
// keyboard user answers it at once; Escape says no.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';

export interface ConfirmActionProps {
  name: string; // data-action of the first button; the yes button is `${name}-confirm`
  id: string | number; // what it acts on, unique on the page (the error's element id)
  label: MessageKey;
  question: MessageKey;
  yes: MessageKey;
  reason?: 'optional' | 'required';
  busy: boolean;
  onConfirm: (reason: string) => void;
}

export function ConfirmAction({ name, id, label, question, yes, reason, busy, onConfirm }: ConfirmActionProps) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const boxRef = useRef<HTMLFieldSetElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) boxRef.current?.querySelector<HTMLElement>('textarea, button')?.focus();
  }, [asking]);
  const close = () => {
    setAsking(false);
    setText('');
    setMissing(false);
    window.setTimeout(() => openerRef.current?.focus());
  };
  const confirm = () => {
    if (reason === 'required' && !text.trim()) {
      setMissing(true);
      boxRef.current?.querySelector<HTMLElement>('textarea')?.focus();
      return;
    }
    onConfirm(text.trim());
  };
  if (!asking)
    return (
      <button ref={openerRef} type="button" class="secondary outline" disabled={busy} onClick={() => setAsking(true)} data-action={name}>
        {t(label)}
      </button>
    );
  const reasonId = `${name}-${id}-reason-error`;
  return (
    <fieldset
      ref={boxRef}
      class="confirm-box"
      data-confirm={name}
      onKeyDown={(event) => {
        if (event.key === 'Escape') close();
      }}
    >
      <legend>
        <strong>{t(question)}</strong>
      </legend>
      {reason && (
        <label>
          {t(reason === 'required' ? 'exams.reason.required' : 'exams.reason.optional')}
          <textarea
            name="cancel_reason"
            rows={2}
            maxLength={4096}
            value={text}
            aria-invalid={missing ? 'true' : undefined}
            aria-describedby={missing ? reasonId : undefined}
            onInput={(event) => {
              setText((event.currentTarget as HTMLTextAreaElement).value);
              setMissing(false);
            }}
          />
          {missing && (
            <small id={reasonId} class="field-error" data-error="cancel_reason">
              {t('exams.error.cancel_reason')}
            </small>
          )}
        </label>
      )}
      <div class="confirm-buttons">
        <button type="button" class="contrast" disabled={busy} aria-busy={busy} onClick={confirm} data-action={`${name}-confirm`}>
          {t(yes)}
        </button>
        <button type="button" class="secondary outline" disabled={busy} onClick={close} data-action={`${name}-keep`}>
          {t('exams.confirm.no')}
        </button>
      </div>
    </fieldset>
  );
}

