// The filter form of a list whose filters live in the URL (worklist, inbox, audit trail):
// the fields edit a draft, reset whenever the URL's filters change (back, a link);
// "Filter" hands the draft on, "Clear" the empty filters. Each list gives its own fields;
// a period (from, to: days) closes every one of them.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n';

export type FieldSetter<F> = (key: keyof F) => (event: Event) => void;

export function FilterForm<F extends { from: string; to: string }>({ filters, empty, onApply, label, fromLabel, toLabel, form, children }: {
  filters: F;
  empty: F;
  onApply: (filters: F) => void;
  label: string;
  fromLabel: string;
  toLabel: string;
  form?: string; // data-form, for tests and styles
  children: (draft: F, set: FieldSetter<F>) => ComponentChildren;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(filters);
  useEffect(() => setDraft(filters), [JSON.stringify(filters)]);
  const set: FieldSetter<F> = (key) => (event) =>
    setDraft({ ...draft, [key]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const submit = (event: Event) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form class="filters" onSubmit={submit} aria-label={label} data-form={form}>
      <fieldset class="grid">
        {children(draft, set)}
        <label>
          {fromLabel}
          <input name="from" type="date" value={draft.from} onInput={set('from')} />
        </label>
        <label>
          {toLabel}
          <input name="to" type="date" value={draft.to} onInput={set('to')} />
        </label>
      </fieldset>
      <div class="filter-buttons">
        <button type="submit">{t('filters.apply')}</button>
        <button type="button" class="secondary outline" onClick={() => onApply(empty)}>
          {t('filters.clear')}
        </button>
      </div>
    </form>
  );
}
