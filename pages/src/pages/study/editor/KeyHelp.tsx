// The `?` help: the reading desk's shortcuts in a modal <dialog> (Escape closes it and
// the focus returns to where it was). The same list is in the README.
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../../../i18n/i18n';
import type { MessageKey } from '../../../i18n/mn';

const worklistKeys: [string, MessageKey][] = [
  ['j / ↓', 'report.keys.next'],
  ['k / ↑', 'report.keys.prev'],
  ['Enter', 'report.keys.enter'],
  ['c', 'report.keys.claim'],
];
const studyKeys: [string, MessageKey][] = [
  ['Ctrl+S', 'report.keys.save'],
  ['Ctrl+Shift+Enter', 'report.keys.sign'],
  ['v', 'report.keys.viewer'],
];

export function KeyHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  const table = (title: MessageKey, keys: [string, MessageKey][]) => (
    <table>
      <caption>{t(title)}</caption>
      <tbody>
        {keys.map(([key, what]) => (
          <tr key={key}>
            <th scope="row">
              <kbd>{key}</kbd>
            </th>
            <td>{t(what)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="keys-title" class="key-help" data-dialog="keys">
      <article>
        <h2 id="keys-title">{t('report.keys.title')}</h2>
        {table('report.keys.worklist', worklistKeys)}
        {table('report.keys.study', studyKeys)}
        <p>
          <kbd>?</kbd> {t('report.keys.help')}. {t('report.keys.typing')}
        </p>
        <footer>
          <button type="button" onClick={onClose} autoFocus>
            {t('report.keys.close')}
          </button>
        </footer>
      </article>
    </dialog>
  );
}

// The `?` button a page shows next to its title.
export function KeyHelpButton({ onOpen }: { onOpen: () => void }) {
  const { t } = useI18n();
  return (
    <button type="button" class="outline secondary small key-help-button" onClick={onOpen} data-action="keys" aria-keyshortcuts="?">
      {t('report.keys.open')}
    </button>
  );
}
