// A version conflict in words: the server's draft (saved from another tab or device)
// and mine side by side, and the three ways out. Nothing is saved until one is chosen.
import type { Report } from '../../../api/types';
import { useI18n } from '../../../i18n/i18n';
import type { DraftContent } from './draftStore';

function Side({ title, draft, side }: { title: string; draft: DraftContent; side: string }) {
  const { t } = useI18n();
  return (
    <article class="conflict-side" data-side={side}>
      <h4>{title}</h4>
      <h5>{t('report.editor.findings')}</h5>
      <p class="report-text" data-text="findings">{draft.findings || '—'}</p>
      <h5>{t('report.editor.impression')}</h5>
      <p class="report-text" data-text="impression">{draft.impression || '—'}</p>
      <p>
        <small>
          {draft.icd_codes.join(', ') || '—'}
          {draft.critical && <> · {t('report.editor.critical')}</>}
        </small>
      </p>
    </article>
  );
}

export function ConflictPanel({ theirs, mine, onKeepMine, onTakeTheirs, onEdit }: {
  theirs: Report;
  mine: DraftContent;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
  onEdit: () => void;
}) {
  const { t, dateTime } = useI18n();
  return (
    <section class="conflict" role="alert" aria-labelledby="conflict-title" data-conflict="true">
      <h3 id="conflict-title">{t('report.editor.conflict.title')}</h3>
      <p>{t('report.editor.conflict.text', { version: theirs.version })}</p>
      <div class="conflict-sides">
        <Side title={t('report.editor.conflict.theirs', { version: theirs.version, time: dateTime((theirs as Report & { updated_at?: string }).updated_at) })} draft={theirs} side="theirs" />
        <Side title={t('report.editor.conflict.mine')} draft={mine} side="mine" />
      </div>
      <div class="conflict-actions">
        <button type="button" onClick={onKeepMine} data-action="keep-mine">
          {t('report.editor.conflict.keep_mine')}
        </button>
        <button type="button" class="secondary" onClick={onTakeTheirs} data-action="take-theirs">
          {t('report.editor.conflict.take_theirs')}
        </button>
        <button type="button" class="outline" onClick={onEdit} data-action="edit-both">
          {t('report.editor.conflict.edit')}
        </button>
      </div>
    </section>
  );
}
