// A DICOM person name (PS3.5 6.2, "Family^Given^Middle^Prefix^Suffix", as the index
// keeps it) as a person reads it: "Family Given Middle". Mongolian names come as
// "Овог^Нэр"; the ideographic and phonetic groups after "=" are left out.
export function personName(dicom: string): string {
  const alphabetic = dicom.split('=')[0];
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = alphabetic.split('^');
  return [prefix, family, given, middle, suffix].map((part) => part.trim()).filter(Boolean).join(' ');
}

// A calendar date of the index ("2025-05-31", no time or zone: DICOM DA) as the pages
// write dates: CLDR mn's short "2025.05.31", English "31 May 2025". Formatted as UTC so
// that no zone can move it a day.
const englishDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
export function calendarDate(iso: string | null | undefined, lang: 'mn' | 'en'): string {
  const match = iso ? /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(iso) : null;
  if (!match) return iso || '—';
  const [, year, month, day] = match;
  return lang === 'mn' ? `${year}.${month}.${day}` : englishDate.format(new Date(Date.UTC(+year, +month - 1, +day)));
}

// Whole years from a birth date to `on` (the patient's age on the study day, or today).
export function ageInYears(birth: string | null | undefined, on: Date): number | null {
  const match = birth ? /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(birth) : null;
  if (!match) return null;
  const [, year, month, day] = match.map(Number);
  let age = on.getFullYear() - year;
  if (on.getMonth() + 1 < month || (on.getMonth() + 1 === month && on.getDate() < day)) age -= 1;
  return age >= 0 ? age : null;
}
