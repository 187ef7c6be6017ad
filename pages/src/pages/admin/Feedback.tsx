// What every admin form shares: the notice in words after a change went through, the
// server's refusal or validation message in words when it did not, and the inline
// confirmation a destructive change asks for first (a second, explicit button rather
// than the browser's confirm(), so it reads in the page's language and keyboard users
// land on it).
import { useEffect, useRef, useState } from 'preact/hooks';
import { problemOf, type Problem } from '../../api/client';
import { ProblemBanner } from '../../components/ProblemBanner';
import { useI18n } from '../../i18n/i18n';

export interface Feedback {
  notice: string;
  problem: Problem | null;
  busy: boolean;
  // Runs `change`; on success shows `done` (its result's words), on failure the problem.
  run<T>(change: () => Promise<T>, done: (result: T) => string): Promise<T | undefined>;
  clear(): void;
  fail(problem: Problem): void;
}

export function useFeedback(): Feedback {
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  return {
    notice,
    problem,
    busy,
    async run(change, done) {
      setBusy(true);
      setNotice('');
      setProblem(null);
      try {
        const result = await change();
        setNotice(done(result));
        return result;
      } catch (error) {
        const found = problemOf(error);
        if (found.kind !== 'expired') setProblem(found);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    clear() {
      setNotice('');
      setProblem(null);
    },
    fail(found) {
      setNotice('');
      setProblem(found);
    },
  };
}

export function FeedbackView({ feedback, name }: { feedback: Feedback; name: string }) {
  return (
    <>
      <p aria-live="polite" class="notice" data-notice={name}>
        {feedback.notice}
      </p>
      {feedback.problem && <AdminProblem problem={feedback.problem} />}
    </>
  );
}

// A registry change refused: a taken code or name (409), a change made to an entry that
// changed since it was loaded (412) and a rejected value (400, 422), said in the
// registry's words with the server's message as detail; anything else as every page
// says it.
export function AdminProblem({ problem, onRetry }: { problem: Problem; onRetry?: () => void }) {
  const { t } = useI18n();
  const own =
    problem.status === 409
      ? t('admin.problem.exists')
      : problem.status === 412
        ? t('admin.problem.stale')
        : problem.kind === 'invalid'
          ? t('admin.problem.invalid')
          : null;
  if (!own) return <ProblemBanner problem={problem} onRetry={onRetry} />;
  return (
    <div class={`problem problem-${problem.kind}`} role="alert" data-problem={problem.kind}>
      <p>
        <strong>{own}</strong>
        {problem.message && <small class="problem-detail"> {problem.message}</small>}
      </p>
    </div>
  );
}

// A button whose first press asks "… are you sure?" with Yes / Cancel beside it.
export function ConfirmButton({
  label,
  what,
  onConfirm,
  disabled,
  action,
}: {
  label: string;
  what: string;
  onConfirm: () => void;
  disabled?: boolean;
  action: string;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" class="secondary outline small" onClick={() => setAsking(true)} disabled={disabled} data-action={action}>
        {label}
      </button>
    );
  return (
    <span class="confirm" role="group" aria-label={t('admin.confirm.question', { what })}>
      <span class="confirm-question">{t('admin.confirm.question', { what })}</span>{' '}
      <button
        type="button"
        class="small danger"
        ref={yes}
        data-action={action + '-confirm'}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {t('admin.confirm.yes', { verb: label.toLowerCase() })}
      </button>{' '}
      <button type="button" class="secondary small" onClick={() => setAsking(false)}>
        {t('admin.cancel')}
      </button>
    </span>
  );
}
