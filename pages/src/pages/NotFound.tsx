import { useI18n } from '../i18n/i18n';

export function NotFound() {
  const { t } = useI18n();
  return (
    <article>
      <h1>{t('notfound.title')}</h1>
      <p>{t('notfound.text')}</p>
      <a href="/app" role="button" class="secondary">
        {t('refused.home')}
      </a>
    </article>
  );
}
