// When a list was last refreshed (or that refreshing waits while the tab is hidden),
// with a button to refresh now.
import { useI18n } from '../../i18n/i18n';

export function RefreshState({ visible, updatedAt, onRefresh }: { visible: boolean; updatedAt: Date | null; onRefresh: () => void }) {
  const { t, time } = useI18n();
  return (
    <p class="refresh-state">
      {visible ? updatedAt && t('worklist.updated', { time: time(updatedAt) }) : t('worklist.paused')}{' '}
      <button type="button" class="outline secondary small" onClick={onRefresh} data-action="refresh">
        {t('worklist.refresh')}
      </button>
    </p>
  );
}
