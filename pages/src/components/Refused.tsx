// A page the signed-in role may not see: said plainly, with the way back.
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/mn';
import type { Role } from '../api/types';

export function Refused({ page, role }: { page: MessageKey; role: Role }) {
  const { t } = useI18n();
  return (
    <article class="refused" role="alert" data-refused="page">
      <h1>{t('refused.title')}</h1>
      <p>{t('refused.page', { page: t(page), role: t(`role.${role}` as MessageKey) })}</p>
      <a href="/app" role="button" class="secondary">
        {t('refused.home')}
      </a>
    </article>
  );
}
