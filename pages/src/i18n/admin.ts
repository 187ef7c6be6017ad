// The admin's registry: facilities, users, targets, templates, code lists, audit: its words in Mongolian and English. Each area of the pages keeps its
// words in a file of its own; mn.ts joins them. tsc fails when a key is missing in English.
export const adminMn = {
  'nav.admin': 'Бүртгэл удирдах',
};
export const adminEn: Record<keyof typeof adminMn, string> = {
  'nav.admin': 'Administration',
};
