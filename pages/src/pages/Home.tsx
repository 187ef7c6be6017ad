// The home page: the user's first page when the role has one, else who they are and
// what their role has.
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/mn';
import { pagesOf } from '../nav';
import { useUser } from '../session';

export function Home() {
  const { t } = useI18n();
  const user = useUser();
  const { route } = useLocation();
  const pages = pagesOf(user.role);
  useEffect(() => {
    if (pages.length) route(pages[0].path, true);
  }, [pages.length]);
  if (pages.length) return null;
  return (
    <article>
      <h1>{t('home.title', { name: user.username })}</h1>
      <p>{t('home.none', { role: t(`role.${user.role}` as MessageKey) })}</p>
    </article>
  );
}
