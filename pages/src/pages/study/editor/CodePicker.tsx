// ICD-10 / ICD-11 code entry: the chosen codes as removable chips (code and title), and a
// combobox that searches the server's code list as the radiologist types (ARIA 1.2
// combobox with a listbox: ↓ ↑ move, Enter adds, Escape closes).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../../api/client';
import type { DiagnosisCode, Page } from '../../../api/types';
import { useI18n } from '../../../i18n/i18n';

type System = 'icd10' | 'icd11';
const searchDelayMs = 200;

export function codeTitle(entry: DiagnosisCode | undefined, lang: string): string {
  if (!entry) return '';
  return lang === 'mn' ? entry.title_mn || entry.title_en : entry.title_en || entry.title_mn;
}

export function CodePicker({ codes, titles, onChange, disabled }: {
  codes: string[];
  titles: Record<string, DiagnosisCode>;
  onChange: (codes: string[], added?: DiagnosisCode) => void;
  disabled?: boolean;
}) {
  const { t, lang } = useI18n();
  const [system, setSystem] = useState<System>('icd10');
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<DiagnosisCode[] | null>(null);
  const [active, setActive] = useState(0);
  const generation = useRef(0);

  useEffect(() => {
    const q = query.trim();
    if (!q) return setFound(null);
    const mine = ++generation.current;
    const timer = window.setTimeout(async () => {
      try {
        const page = await api<Page<DiagnosisCode>>(`/codes?system=${system}&q=${encodeURIComponent(q)}&limit=8`);
        if (mine !== generation.current) return;
        setFound(page.items.filter((entry) => !codes.includes(entry.code)));
        setActive(0);
      } catch {
        if (mine === generation.current) setFound([]); // said as "no matching code"; the typed text stays
      }
    }, searchDelayMs);
    return () => window.clearTimeout(timer);
  }, [query, system]);

  const add = (entry: DiagnosisCode) => {
    if (!codes.includes(entry.code)) onChange([...codes, entry.code], entry);
    setQuery('');
    setFound(null);
  };
  const onKey = (event: KeyboardEvent) => {
    if (!found) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (found.length ? (i + step + found.length) % found.length : 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (found[active]) add(found[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      setFound(null);
    }
  };
  const open = found !== null;
  return (
    <fieldset class="code-picker" data-codes-editor="true">
      <legend>{t('report.editor.codes')}</legend>
      {codes.length ? (
        <ul class="code-chips" aria-label={t('report.editor.codes')}>
          {codes.map((code) => (
            <li key={code} data-chip={code}>
              <code>{code}</code> {codeTitle(titles[code], lang)}
              <button
                type="button"
                class="chip-remove"
                disabled={disabled}
                aria-label={t('report.editor.codes.remove', { code })}
                onClick={() => onChange(codes.filter((c) => c !== code))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="code-empty">{t('report.editor.codes.empty')}</p>
      )}
      <div class="code-search">
        <label>
          {t('report.editor.codes.system')}
          <select value={system} disabled={disabled} onChange={(e) => setSystem((e.currentTarget as HTMLSelectElement).value as System)}>
            <option value="icd10">ICD-10</option>
            <option value="icd11">ICD-11</option>
          </select>
        </label>
        <label class="code-query">
          {t('report.editor.codes.search')}
          <input
            type="text"
            role="combobox"
            autoComplete="off"
            disabled={disabled}
            aria-autocomplete="list"
            aria-expanded={open}
            aria-controls="code-options"
            aria-activedescendant={open && found.length ? `code-option-${active}` : undefined}
            aria-describedby="code-hint"
            value={query}
            onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={onKey}
            onBlur={() => window.setTimeout(() => setFound(null), 150)}
            data-code-search="true"
          />
        </label>
      </div>
      <small id="code-hint">{t('report.editor.codes.hint')}</small>
      <ul id="code-options" role="listbox" class="code-options" hidden={!open} aria-label={t('report.editor.codes')}>
        {open && !found.length && <li class="code-none">{t('report.editor.codes.none')}</li>}
        {found?.map((entry, i) => (
          <li
            key={entry.system + entry.code}
            id={`code-option-${i}`}
            role="option"
            aria-selected={i === active}
            class={i === active ? 'active' : ''}
            data-option={entry.code}
            onMouseDown={(e) => {
              e.preventDefault(); // keep the focus in the search field
              add(entry);
            }}
          >
            <code>{entry.code}</code> {codeTitle(entry, lang)}
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
