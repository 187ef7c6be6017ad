// Sign in with the session cookie. After an expired session the user comes back to the
// page (and filters) they were on: `next` carries it, and only a path of the pages.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { problemOf, type Problem } from '../api/client';
import { ProblemBanner } from '../components/ProblemBanner';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session';

export function safeNext(next: string | undefined): string {
  return next && next.startsWith('/app/') && !next.startsWith('/app/signin') ? next : '/app';
}

export function SignIn() {
  const { t } = useI18n();
  const { state, signIn } = useSession();
  const { query, route } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const expired = state.status === 'signed_out' && state.expired;
  const signedOut = state.status === 'signed_out' && state.signedOut;

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await signIn(username.trim(), password);
      route(safeNext(query.next), true);
    } catch (error) {
      setProblem(problemOf(error));
      setBusy(false);
    }
  };
  const wrong = problem?.kind === 'expired'; // 401 from login: wrong name or password
  return (
    <article class="signin">
      <h1>{t('signin.title')}</h1>
      {expired && !problem && (
        <p role="status" class="notice" data-notice="expired">
          {t('signin.expired')}
        </p>
      )}
      {signedOut && !problem && (
        <p role="status" class="notice" data-notice="signed-out">
          {t('signin.signed_out')}
        </p>
      )}
      {problem && wrong && (
        <p role="alert" class="problem" data-problem="wrong-password">
          <strong>{t('signin.wrong')}</strong>
        </p>
      )}
      {problem && !wrong && <ProblemBanner problem={problem} />}
      <form onSubmit={submit}>
        <label>
          {t('signin.username')}
          <input
            name="username"
            autocomplete="username"
            required
            autoFocus
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            aria-invalid={wrong ? 'true' : undefined}
          />
        </label>
        <label>
          {t('signin.password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-invalid={wrong ? 'true' : undefined}
          />
        </label>
        <button type="submit" aria-busy={busy ? 'true' : undefined} disabled={busy}>
          {busy ? t('signin.busy') : t('signin.submit')}
        </button>
      </form>
    </article>
  );
}
