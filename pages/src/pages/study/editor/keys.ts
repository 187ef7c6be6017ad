// The reading desk's keyboard: one keydown listener per page. Plain keys (j, k, c, v, ?)
// never fire while the user types in a field; Ctrl (or ⌘) combinations do, since they
// are what a radiologist presses mid-sentence (Ctrl+S, Ctrl+Shift+Enter).
import { useEffect, useRef } from 'preact/hooks';

// An action that answers false declines the key (the browser does its own with it).
export type KeyMap = Record<string, (event: KeyboardEvent) => unknown>;

export function typingIn(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  if (!element || !element.tagName) return false;
  return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}

// "ctrl+shift+enter", "ctrl+s", "j", "arrowdown", "?"
export function keyName(event: KeyboardEvent): string {
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key.toLowerCase();
  const ctrl = event.ctrlKey || event.metaKey;
  return (ctrl ? 'ctrl+' : '') + (ctrl && event.shiftKey ? 'shift+' : '') + key;
}

export function useKeys(map: KeyMap) {
  const latest = useRef(map);
  latest.current = map;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey) return;
      const name = keyName(event);
      const ctrl = name.startsWith('ctrl+');
      if (!ctrl && typingIn(event.target)) return;
      if (document.querySelector('dialog[open]') && name !== 'escape') return; // a dialog has the keyboard
      const action = latest.current[name];
      if (!action) return;
      if (action(event) !== false) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
