// The admin's registry (/app/admin/{section}): one page with a sub-navigation over its
// sections, each a component of its own. /app/admin alone opens the facilities.
import { useRoute } from 'preact-iso/router';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/mn';
import { NotFound } from '../NotFound';
import { Audit } from './Audit';
import { CodeLists } from './CodeLists';
import { Facilities } from './Facilities';
import { Targets } from './Targets';
import { Templates } from './Templates';
import { Users } from './Users';

const sections: { slug: string; label: MessageKey; page: () => preact.JSX.Element }[] = [
  { slug: 'facilities', label: 'admin.facilities', page: Facilities },
  { slug: 'users', label: 'admin.users', page: Users },
  { slug: 'targets', label: 'admin.targets', page: Targets },
  { slug: 'templates', label: 'admin.templates', page: Templates },
  { slug: 'codes', label: 'admin.codes', page: CodeLists },
  { slug: 'audit', label: 'admin.audit', page: Audit },
];

export function AdminPage() {
  const { t } = useI18n();
  const { params } = useRoute();
  const slug = params.section || 'facilities';
  const section = sections.find((s) => s.slug === slug);
  if (!section) return <NotFound />;
  const Section = section.page;
  return (
    <section class="admin" aria-labelledby="admin-title">
      <h1 id="admin-title" class="visually-hidden">
        {t('admin.title')}
      </h1>
      <nav aria-label={t('admin.sections')} class="admin-nav">
        <ul>
          {sections.map((s) => (
            <li key={s.slug}>
              <a href={`/app/admin/${s.slug}`} aria-current={s.slug === slug ? 'page' : undefined}>
                {t(s.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <Section key={slug} />
    </section>
  );
}
