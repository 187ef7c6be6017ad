// A DICOM person name (PS3.5 6.2, "Family^Given^Middle^Prefix^Suffix", as the index
// keeps it) as a person reads it: "Family Given Middle". Mongolian names come as
// "Овог^Нэр"; the ideographic and phonetic groups after "=" are left out.
export function personName(dicom: string): string {
  const alphabetic = dicom.split('=')[0];
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = alphabetic.split('^');
  return [prefix, family, given, middle, suffix].map((part) => part.trim()).filter(Boolean).join(' ');
}
