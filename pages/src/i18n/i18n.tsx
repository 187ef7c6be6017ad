// The language of the pages: Mongolian first, English a click away, the choice kept in
// localStorage. Dates and numbers are formatted by Intl, in the server's time zone (KPI
// days and SLA deadlines are Ulaanbaatar's). Chromium's ICU data holds no Mongolian
// (Debian's chromium 156: Intl.DateTimeFormat.supportedLocalesOf('mn') is empty, and
// 'mn-MN' falls back to "2026 M12 1"), so Mongolian dates are assembled from Intl's
// numeric parts in CLDR mn's short pattern, y.MM.dd HH:mm, the same in every browser.
// Numbers: CLDR mn groups and decimals as en does (12,345.5), which Intl gives.
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { mn, type MessageKey, type Messages } from './mn';

export type Lang = 'mn' | 'en';
// Mongolian is in the first download; English is a chunk of its own, fetched when it is
// first chosen (6.8 KB gzipped that most users never need).
const catalogues: Partial<Record<Lang, Messages>> = { mn };
function loadCatalogue(lang: Lang): Promise<Messages> {
  const known = catalogues[lang];
  if (known) return Promise.resolve(known);
  return import('./en').then((module) => (catalogues.en = module.en));
}
const storageKey = 'telerad.lang';
export const timeZone = 'Asia/Ulaanbaatar';

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  dateTime(iso: string | null | undefined): string;
  time(date: Date): string;
  number(value: number): string;
  duration(ms: number): string;
}

function storedLang(): Lang {
  try {
    return localStorage.getItem(storageKey) === 'en' ? 'en' : 'mn';
  } catch {
    return 'mn';
  }
}

const numericParts = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZone,
});

function partsOf(date: Date): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of numericParts.formatToParts(date)) parts[part.type] = part.value;
  return parts;
}

// CLDR mn's short date and time: 2025.05.31 13:05.
export function mongolianDateTime(date: Date): string {
  const p = partsOf(date);
  return `${p.year}.${p.month}.${p.day} ${p.hour}:${p.minute}`;
}

function mongolianTime(date: Date): string {
  const p = partsOf(date);
  return `${p.hour}:${p.minute}:${p.second}`;
}

export function makeI18n(lang: Lang, messages: Messages, setLang: (l: Lang) => void): I18n {
  const locale = lang === 'mn' ? 'mn-MN' : 'en-GB';
  const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const timeFormat = new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium', timeZone });
  const numberFormat = new Intl.NumberFormat(locale);
  const t = (key: MessageKey, vars?: Record<string, string | number>) =>
    messages[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? `{${name}}`));
  return {
    lang,
    setLang,
    t,
    dateTime: (iso) => (!iso ? '—' : lang === 'mn' ? mongolianDateTime(new Date(iso)) : dateTimeFormat.format(new Date(iso))),
    time: (date) => (lang === 'mn' ? mongolianTime(date) : timeFormat.format(date)),
    number: (value) => numberFormat.format(value),
    duration(ms) {
      const minutes = Math.floor(Math.abs(ms) / 60000);
      const days = Math.floor(minutes / 1440);
      const hours = Math.floor((minutes % 1440) / 60);
      if (days > 0) return t('duration.dh', { d: numberFormat.format(days), h: hours });
      if (hours > 0) return t('duration.hm', { h: hours, m: minutes % 60 });
      return t('duration.m', { m: minutes });
    },
  };
}

const I18nContext = createContext<I18n>(makeI18n('mn', mn, () => {}));

export function I18nProvider({ children }: { children: ComponentChildren }) {
  // `wanted`: the language chosen; `lang`: the one whose words are here and shown. A
  // switch keeps the page in the old language until the new words arrive (if they
  // cannot, in Mongolian); a page opened in English waits for them, blank, one request.
  const [wanted, setWanted] = useState<Lang>(storedLang);
  const [lang, setLang] = useState<Lang | null>(() => (catalogues[wanted] ? wanted : null));
  useEffect(() => {
    if (lang === wanted) return;
    let live = true;
    loadCatalogue(wanted)
      .then(() => live && setLang(wanted))
      .catch(() => live && setLang((shown) => shown ?? 'mn'));
    return () => {
      live = false;
    };
  }, [wanted]);
  const value = useMemo(
    () =>
      lang &&
      makeI18n(lang, catalogues[lang]!, (next) => {
        try {
          localStorage.setItem(storageKey, next);
        } catch {
          // Private browsing without storage: the choice lasts for this page only.
        }
        setWanted(next);
      }),
    [lang],
  );
  if (!value) return null;
  document.documentElement.lang = value.lang;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = () => useContext(I18nContext);
