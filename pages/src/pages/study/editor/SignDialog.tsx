// Signing asks once more, in a modal <dialog> that sums up what is signed: the
// impression, the codes and the critical flag. Escape or Cancel goes back to writing.
import { useEffect, useRef } from 'preact/hooks';
import type { DiagnosisCode } from '../../../api/types';
import { useI18n } from '../../../i18n/i18n';
import { codeTitle } from '../../../components/CodePicker';
import type { DraftContent } from './draftStore';

export function SignDialog({ open, draft, titles, busy, onSign, onClose }: {
  open: boolean;
  draft: DraftContent;
  titles: Record<string, DiagnosisCode>;
  busy: boolean;
  onSign: () => void;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  const empty = !draft.findings.trim() && !draft.impression.trim();
  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="sign-title" data-dialog="sign">
      <article>
        <h2 id="sign-title">{t('report.editor.sign.title')}</h2>
        <p>{t('report.editor.sign.text')}</p>
        <dl class="sign-summary">
          <dt>{t('report.editor.impression')}</dt>
          <dd class="report-text" data-summary="impression">{draft.impression || '—'}</dd>
          <dt>{t('report.editor.codes')}</dt>
          <dd data-summary="codes">
            {draft.icd_codes.length ? draft.icd_codes.map((code) => <div key={code}><code>{code}</code> {codeTitle(titles[code], lang)}</div>) : '—'}
          </dd>
          <dt>{t('report.editor.critical')}</dt>
          <dd data-summary="critical" class={draft.critical ? 'report-critical' : ''}>
            {draft.critical ? t('report.editor.sign.critical_yes') : t('report.editor.sign.critical_no')}
          </dd>
        </dl>
        {empty && <p role="alert">{t('report.editor.sign.empty')}</p>}
        <footer>
          <button type="button" class="secondary" onClick={onClose}>
            {t('report.editor.sign.cancel')}
          </button>
          <button type="button" disabled={busy || empty} aria-busy={busy} onClick={onSign} data-action="confirm-sign">
            {t('report.editor.sign.confirm')}
          </button>
        </footer>
      </article>
    </dialog>
  );
}
