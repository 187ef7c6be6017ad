// Diagnosis code entry, for the report editor and the specialist's conclusion: the chosen
// codes as removable chips (code and title), and a combobox that searches the server's
// code list as the user types (GET /api/v1/codes?system=&q=&limit=; ARIA 1.2 combobox
// with a listbox: ↓ ↑ move, Enter adds, Escape closes; Enter never submits the form
// around it). With more than one classification (ICD-10, ICD-11) a choice of list comes
// first. A failed search is said in words under the field; the chosen codes are kept
// whatever happens.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from '../api/client';
import type { DiagnosisCode, Page } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { ProblemBanner } from './ProblemBanner';

export type CodeSystem = 'icd10' | 'icd11';

export interface CodePickerProps {
  value: string[];
  // `added`: the code list's entry of a code just picked, so the caller can keep its title.
  onChange: (codes: string[], added?: DiagnosisCode) => void;
  systems: CodeSystem[];
  label: string;
  id: string; // unique on the page: the search field's id and its list's
  titles?: Record<string, DiagnosisCode>; // titles the caller knows (a saved draft's codes)
  disabled?: boolean;
  limit?: number;
}

const searchDelayMs = 200;
const systemNames: Record<CodeSystem, string> = { icd10: 'ICD-10', icd11: 'ICD-11' };

export function codeTitle(entry: DiagnosisCode | undefined, lang: string): string {
  if (!entry) return '';
  return lang === 'mn' ? entry.title_mn || entry.title_en : entry.title_en || entry.title_mn;
}

export function CodePicker({ value, onChange, systems, label, id, titles = {}, disabled, limit = 8 }: CodePickerProps) {
  const { t, lang } = useI18n();
  const [system, setSystem] = useState<CodeSystem>(systems[0]);
  const [text, setText] = useState('');
  const [found, setFound] = useState<DiagnosisCode[] | null>(null); // null: the list is closed
  const [active, setActive] = useState(0);
  const [searching, setSearching] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [picked, setPicked] = useState<Record<string, DiagnosisCode>>({});
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const q = text.trim();
    if (!q) return setFound(null);
    const abort = new AbortController();
    const timer = window.setTimeout(async () => {
      setSearching(true);
      try {
        const page = await api<Page<DiagnosisCode>>(
          `/codes?system=${system}&q=${encodeURIComponent(q)}&limit=${limit}`,
          { signal: abort.signal },
        );
        setFound(page.items.filter((entry) => !value.includes(entry.code)));
        setActive(0);
        setProblem(null);
      } catch (error) {
        if (abort.signal.aborted) return;
        setProblem(problemOf(error));
        setFound(null);
      } finally {
        if (!abort.signal.aborted) setSearching(false);
      }
    }, searchDelayMs);
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [text, system]);

  const add = (entry: DiagnosisCode) => {
    setPicked({ ...picked, [entry.code]: entry });
    if (!value.includes(entry.code)) onChange([...value, entry.code], entry);
    setText('');
    setFound(null);
    inputRef.current?.focus();
  };
  const remove = (code: string) => {
    onChange(value.filter((c) => c !== code));
    inputRef.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // Modified keys are the page's shortcuts (Ctrl+Shift+Enter signs): left alone.
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Enter') event.preventDefault();
    if (!found) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (found.length ? (i + step + found.length) % found.length : 0));
    } else if (event.key === 'Enter') {
      if (found[active]) add(found[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setFound(null);
    }
  };

  const open = found !== null;
  const listId = `${id}-options`;
  const hintId = `${id}-hint`;
  return (
    <fieldset class="code-picker" data-code-picker={systems.join(' ')}>
      <legend>{label}</legend>
      {value.length ? (
        <ul class="code-chips" aria-label={t('codes.chosen')} data-chosen-codes="true">
          {value.map((code) => (
            <li key={code} data-code={code} data-chip={code}>
              <strong>{code}</strong> {codeTitle(picked[code] ?? titles[code], lang)}
              <button type="button" class="outline secondary small" disabled={disabled} aria-label={t('codes.remove', { code })} onClick={() => remove(code)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="code-empty">{t('codes.empty')}</p>
      )}
      <div class={systems.length > 1 ? 'code-search with-system' : 'code-search'}>
        {systems.length > 1 && (
          <label>
            {t('codes.system')}
            <select value={system} disabled={disabled} onChange={(e) => setSystem((e.currentTarget as HTMLSelectElement).value as CodeSystem)}>
              {systems.map((one) => (
                <option key={one} value={one}>
                  {systemNames[one]}
                </option>
              ))}
            </select>
          </label>
        )}
        <label for={id}>
          {t('codes.search')}
          <input
            ref={inputRef}
            id={id}
            type="text"
            role="combobox"
            autocomplete="off"
            disabled={disabled}
            aria-autocomplete="list"
            aria-expanded={open}
            aria-controls={listId}
            aria-activedescendant={open && found.length ? `${listId}-${active}` : undefined}
            aria-busy={searching}
            aria-describedby={hintId}
            value={text}
            onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={onKeyDown}
            onBlur={() => window.setTimeout(() => setFound(null), 150)}
            data-code-search="true"
          />
        </label>
      </div>
      <small id={hintId}>{t('codes.hint')}</small>
      <ul id={listId} role="listbox" class="code-options" hidden={!open} aria-label={label}>
        {open && !found.length && !searching && (
          <li class="code-none" aria-disabled="true">
            {t('codes.none')}
          </li>
        )}
        {found?.map((entry, i) => (
          <li
            key={entry.system + entry.code}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            data-option={entry.code}
            // mousedown, not click: the search field keeps its focus (no blur closes the list first).
            onMouseDown={(e) => {
              e.preventDefault();
              add(entry);
            }}
          >
            <strong>{entry.code}</strong> {codeTitle(entry, lang)}
          </li>
        ))}
      </ul>
      {problem && <ProblemBanner problem={problem} />}
    </fieldset>
  );
}
