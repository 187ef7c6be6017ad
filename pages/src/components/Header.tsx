// The bar every page shares: the name, the role's own pages, who is signed in with which
// role, the language switch and sign-out. Wraps on a tablet's narrow screen.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { problemOf, type Problem } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/mn';
import { pagesOf } from '../nav';
import { useSession } from '../session';
import { ProblemBanner } from './ProblemBanner';

export function Header() {
  const { t, lang, setLang } = useI18n();
  const { state, signOut } = useSession();
  const { path } = useLocation();
  const [problem, setProblem] = useState<Problem | null>(null);
  const user = state.status === 'signed_in' ? state.user : null;
  const doSignOut = () => {
    setProblem(null);
    signOut().catch((error) => setProblem(problemOf(error)));
  };
  return (
    <header class="shell-header">
      <nav aria-label={t('nav.label')} class="container-fluid">
        <ul>
          <li>
            <a href="/app" class="brand">
              <strong>{t('app.name')}</strong>
            </a>
          </li>
          {user &&
            pagesOf(user.role).map((page) => (
              <li key={page.path}>
                <a href={page.path} aria-current={path === page.path || path.startsWith(page.path + '/') ? 'page' : undefined}>
                  {t(page.label)}
                </a>
              </li>
            ))}
        </ul>
        <ul>
          {user && (
            <li class="who" data-user={user.username} data-role={user.role}>
              <span class="visually-hidden">{t('user.signed_in_as')} </span>
              <strong>{user.username}</strong> <span class="role-badge">{t(`role.${user.role}` as MessageKey)}</span>
            </li>
          )}
          <li>
            <button
              type="button"
              class="outline secondary lang-switch"
              lang={lang === 'mn' ? 'en' : 'mn'}
              aria-label={t('lang.switch.label')}
              onClick={() => setLang(lang === 'mn' ? 'en' : 'mn')}
            >
              {t('lang.switch')}
            </button>
          </li>
          {user && (
            <li>
              <button type="button" class="outline" onClick={doSignOut} data-action="sign-out">
                {t('signout')}
              </button>
            </li>
          )}
        </ul>
      </nav>
      {problem && (
        <div class="container-fluid">
          <ProblemBanner problem={problem} onRetry={doSignOut} />
        </div>
      )}
    </header>
  );
}
