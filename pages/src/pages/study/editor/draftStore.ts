// The unsaved edit of a draft, kept in localStorage per study and user until the server
// has it: a dropped network, a closed tab or a reload loses nothing. `base` is the
// server version the edit started from, which tells on reload whether the server's
// draft moved on meanwhile (then both texts are shown, never one silently dropped).
export interface DraftContent {
  findings: string;
  impression: string;
  icd_codes: string[];
  critical: boolean;
}

export interface KeptEdit extends DraftContent {
  base: number; // 0: no draft on the server yet
  edited_at: string;
}

export const emptyDraft: DraftContent = { findings: '', impression: '', icd_codes: [], critical: false };

const keyOf = (study: string, user: string) => `telerad.draft.${user}.${study}`;

export function keptEdit(study: string, user: string): KeptEdit | null {
  try {
    const text = localStorage.getItem(keyOf(study, user));
    return text ? (JSON.parse(text) as KeptEdit) : null;
  } catch {
    return null; // storage off or a damaged entry: nothing to restore
  }
}

export function keepEdit(study: string, user: string, edit: KeptEdit) {
  try {
    localStorage.setItem(keyOf(study, user), JSON.stringify(edit));
  } catch {
    // Private browsing without storage: the edit lives in the page only.
  }
}

export function forgetEdit(study: string, user: string) {
  try {
    localStorage.removeItem(keyOf(study, user));
  } catch {
    // nothing kept
  }
}

export const sameContent = (a: DraftContent, b: DraftContent) =>
  a.findings === b.findings && a.impression === b.impression && a.critical === b.critical && a.icd_codes.join('\n') === b.icd_codes.join('\n');

export const contentOf = (x: DraftContent): DraftContent => ({
  findings: x.findings,
  impression: x.impression,
  icd_codes: [...x.icd_codes],
  critical: x.critical,
});
