// An e-examination's ICD codes with their titles from the server's code list (the
// exact code ranks first in its search), in the page's language. A title is looked up
// once per page load; a failed lookup shows the code alone (the code is what counts)
// and is tried again on the next render.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { DiagnosisCode, Page } from '../../api/types';
import { useI18n } from '../../i18n/i18n';

const lookups = new Map<string, Promise<DiagnosisCode | null>>();

function titleOf(code: string): Promise<DiagnosisCode | null> {
  let found = lookups.get(code);
  if (!found) {
    found = api<Page<DiagnosisCode>>(`/codes?system=icd10&q=${encodeURIComponent(code)}&limit=1`)
      .then((page) => page.items.find((entry) => entry.code === code) ?? null)
      .catch(() => {
        lookups.delete(code);
        return null;
      });
    lookups.set(code, found);
  }
  return found;
}

export function CodeTitles({ codes }: { codes: string[] }) {
  const { lang } = useI18n();
  const [titles, setTitles] = useState<Record<string, DiagnosisCode | null>>({});
  const key = codes.join(',');
  useEffect(() => {
    let live = true;
    Promise.all(codes.map(titleOf)).then((found) => {
      if (live) setTitles(Object.fromEntries(codes.map((code, i) => [code, found[i]])));
    });
    return () => {
      live = false;
    };
  }, [key]);
  if (!codes.length) return <>—</>;
  return (
    <ul class="exam-codes">
      {codes.map((code) => {
        const entry = titles[code];
        const title = entry ? (lang === 'mn' ? entry.title_mn || entry.title_en : entry.title_en || entry.title_mn) : '';
        return (
          <li key={code} data-code={code}>
            <code>{code}</code>
            {title && <> — {title}</>}
          </li>
        );
      })}
    </ul>
  );
}
