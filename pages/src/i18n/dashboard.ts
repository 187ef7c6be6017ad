// The ministry's KPI dashboard: its words in Mongolian and English. Each area of the pages keeps its
// words in a file of its own; mn.ts joins them. tsc fails when a key is missing in English.
export const dashboardMn = {
  'nav.dashboard': 'Үзүүлэлтийн самбар',
};
export const dashboardEn: Record<keyof typeof dashboardMn, string> = {
  'nav.dashboard': 'KPI dashboard',
};
