// A diagnosis code picker: search as you type over the server's code list
// (GET /api/v1/codes?system=&q=&limit=), pick with the mouse or the keyboard (arrows,
// Enter, Escape: the ARIA combobox pattern), remove a chosen code with its button.
// Generic: `value` is the chosen codes, `onChange` gets the new list, `system` names the
// list (icd10, icd11). A failed search is said in words under the field; the chosen
// codes are kept whatever happens.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from '../api/client';
import type { DiagnosisCode, Page } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { ProblemBanner } from './ProblemBanner';

export interface CodePickerProps {
  value: string[];
  onChange: (codes: string[]) => void;
  system: 'icd10' | 'icd11';
  label: string;
  id: string; // unique on the page: the input's id and its list's
  limit?: number;
}

const searchDelayMs = 250;

export function CodePicker({ value, onChange, system, label, id, limit = 8 }: CodePickerProps) {
  const { t, lang } = useI18n();
  const [text, setText] = useState('');
  const [options, setOptions] = useState<DiagnosisCode[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [searching, setSearching] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [titles, setTitles] = useState<Record<string, DiagnosisCode>>({});
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const q = text.trim();
    if (!q) {
      setOptions([]);
      setOpen(false);
      return;
    }
    const abort = new AbortController();
    const timer = window.setTimeout(async () => {
      setSearching(true);
      try {
        const found = await api<Page<DiagnosisCode>>(
          `/codes?system=${encodeURIComponent(system)}&q=${encodeURIComponent(q)}&limit=${limit}`,
          { signal: abort.signal },
        );
        setOptions(found.items);
        setActive(found.items.length ? 0 : -1);
        setOpen(true);
        setProblem(null);
      } catch (error) {
        if (abort.signal.aborted) return;
        setProblem(problemOf(error));
        setOpen(false);
      } finally {
        if (!abort.signal.aborted) setSearching(false);
      }
    }, searchDelayMs);
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [text, system]);

  const titleOf = (code: DiagnosisCode) => (lang === 'mn' ? code.title_mn || code.title_en : code.title_en || code.title_mn);
  const pick = (code: DiagnosisCode) => {
    setTitles({ ...titles, [code.code]: code });
    if (!value.includes(code.code)) onChange([...value, code.code]);
    setText('');
    setOpen(false);
    inputRef.current?.focus();
  };
  const remove = (code: string) => {
    onChange(value.filter((c) => c !== code));
    inputRef.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!options.length) return;
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((active + step + options.length) % options.length);
    } else if (event.key === 'Enter') {
      // Enter picks a code; it never submits the form around the picker.
      event.preventDefault();
      if (open && active >= 0 && options[active]) pick(options[active]);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
    }
  };

  const listId = `${id}-options`;
  const showList = open && text.trim() !== '';
  return (
    <div class="code-picker" data-code-picker={system}>
      <label for={id}>{label}</label>
      {value.length > 0 && (
        <ul class="code-chips" aria-label={t('exams.codes.chosen')} data-chosen-codes="true">
          {value.map((code) => (
            <li key={code} data-code={code}>
              <strong>{code}</strong>
              {titles[code] && <span> {titleOf(titles[code])}</span>}
              <button type="button" class="outline secondary small" onClick={() => remove(code)} aria-label={t('exams.codes.remove', { code })}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        ref={inputRef}
        id={id}
        type="text"
        role="combobox"
        autocomplete="off"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
        aria-busy={searching}
        aria-describedby={`${id}-hint`}
        placeholder={t('exams.codes.placeholder')}
        value={text}
        onInput={(event) => setText((event.currentTarget as HTMLInputElement).value)}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <small id={`${id}-hint`}>{t('exams.codes.hint')}</small>
      <ul id={listId} role="listbox" class="code-options" hidden={!showList} aria-label={label}>
        {options.map((code, i) => (
          <li
            key={code.code}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            data-option={code.code}
            // mousedown, not click: the input keeps its focus (no blur closes the list first).
            onMouseDown={(event) => {
              event.preventDefault();
              pick(code);
            }}
          >
            <strong>{code.code}</strong> {titleOf(code)}
          </li>
        ))}
        {showList && !options.length && !searching && (
          <li class="code-none" aria-disabled="true">
            {t('exams.codes.none')}
          </li>
        )}
      </ul>
      {problem && <ProblemBanner problem={problem} />}
    </div>
  );
}
