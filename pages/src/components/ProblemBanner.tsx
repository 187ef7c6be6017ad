// A failed call in words: what happened, what the user can do (retry), the server's own
// message as a detail. Never a raw JSON error. An offline browser retries by itself
// when the network comes back.
import { useEffect } from 'preact/hooks';
import type { Problem } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/mn';

const headline: Record<Problem['kind'], MessageKey> = {
  expired: 'signin.expired',
  refused: 'refused.action',
  conflict: 'problem.conflict',
  not_found: 'problem.not_found',
  invalid: 'problem.invalid',
  locked: 'signin.locked',
  outage: 'problem.outage',
  offline: 'problem.offline',
};

export function ProblemBanner({ problem, onRetry }: { problem: Problem; onRetry?: () => void }) {
  const { t } = useI18n();
  useEffect(() => {
    if (problem.kind !== 'offline' || !onRetry) return;
    window.addEventListener('online', onRetry);
    return () => window.removeEventListener('online', onRetry);
  }, [problem.kind, onRetry]);
  const retryable = problem.kind === 'outage' || problem.kind === 'offline';
  return (
    <div class={`problem problem-${problem.kind}`} role="alert" data-problem={problem.kind}>
      <p>
        <strong>{t(headline[problem.kind])}</strong>
        {problem.message && <small class="problem-detail"> {problem.message}</small>}
      </p>
      {retryable && onRetry && (
        <button type="button" class="secondary" onClick={onRetry}>
          {t('problem.retry')}
        </button>
      )}
    </div>
  );
}
