// The pages and who may see them: the navigation shows each role its own pages only,
// and the shell refuses a page to any other role before it asks the server anything.
// A later page joins with one line here and one <Route> in app.tsx.
import type { Role } from './api/types';
import type { MessageKey } from './i18n/mn';

export interface PageEntry {
  path: string;
  label: MessageKey;
  roles: Role[];
  inNav?: false; // a page reached from another page's link (one study's report), not the menu
}

export const pageEntries: PageEntry[] = [
  { path: '/app/worklist', label: 'nav.worklist', roles: ['radiologist', 'admin'] },
  { path: '/app/inbox', label: 'nav.inbox', roles: ['facility'] },
  { path: '/app/dashboard', label: 'nav.dashboard', roles: ['ministry', 'admin'] },
  { path: '/app/reports', label: 'nav.report', roles: ['facility', 'radiologist', 'admin'], inNav: false },
  { path: '/app/exams', label: 'nav.exams', roles: ['facility'] },
  { path: '/app/queue', label: 'nav.queue', roles: ['specialist'] },
  { path: '/app/admin', label: 'nav.admin', roles: ['admin'] }, // and its sections, /app/admin/{section}
];

// A study's own page (/app/studies/{uid}), reached from a list, not from the navigation;
// a facility user opens their own studies read-only (the server refuses the others).
export const studyPage: PageEntry = { path: '/app/studies', label: 'nav.study', roles: ['radiologist', 'admin', 'facility'] };

export const pagesOf = (role: Role) => pageEntries.filter((page) => page.roles.includes(role) && page.inNav !== false);
export const entryOf = (path: string) => pageEntries.find((page) => page.path === path);
