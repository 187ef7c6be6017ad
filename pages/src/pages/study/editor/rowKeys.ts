// The worklist's rows under the keyboard: j/k (or ↓/↑) move the current row (its study
// link takes the focus, so the focus ring shows where one is and Tab goes on from
// there), Enter opens it, c claims it.
const rows = () => Array.from(document.querySelectorAll<HTMLTableRowElement>('.worklist tr[data-study]'));

function currentRow(): HTMLTableRowElement | null {
  const focused = document.activeElement?.closest<HTMLTableRowElement>('.worklist tr[data-study]');
  return focused ?? document.querySelector<HTMLTableRowElement>('.worklist tr[data-current]');
}

export function moveRow(step: 1 | -1) {
  const all = rows();
  if (!all.length) return;
  const at = all.indexOf(currentRow() as HTMLTableRowElement);
  const next = all[at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step))];
  all.forEach((row) => row.removeAttribute('data-current'));
  next.setAttribute('data-current', 'true');
  next.querySelector<HTMLElement>('a[data-action=study]')?.focus();
  next.scrollIntoView({ block: 'nearest' });
}

// Clicks the current row's `action` (study: its link; claim: its Claim button); false
// when there is none, so Enter on another focused control keeps its own meaning.
export function rowAction(action: 'study' | 'claim'): boolean {
  const focused = document.activeElement;
  if (action === 'study' && focused && focused !== document.body && focused.matches('a, button, input, select, textarea, summary')) return false;
  const target = currentRow()?.querySelector<HTMLElement>(`[data-action=${action}]`);
  if (!target || (target as HTMLButtonElement).disabled) return false;
  target.click();
  return true;
}
