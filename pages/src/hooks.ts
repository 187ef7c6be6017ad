// Small hooks the pages share.
import { useEffect, useRef, useState } from 'preact/hooks';

// The current time, renewed every `everyMs` (the SLA countdowns).
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

// Whether the tab is visible: polling stops while it is hidden (nobody is looking, and
// a rural link has better uses for its bytes).
export function useVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}

// Calls `refresh` every `everyMs` while the tab is visible, and at once when it becomes
// visible again. The latest `refresh` is used, so it may close over fresh state.
export function usePolling(refresh: () => void, everyMs: number, visible: boolean) {
  const latest = useRef(refresh);
  latest.current = refresh;
  const wasVisible = useRef(visible);
  useEffect(() => {
    if (visible && !wasVisible.current) latest.current();
    wasVisible.current = visible;
    if (!visible) return;
    const timer = window.setInterval(() => latest.current(), everyMs);
    return () => window.clearInterval(timer);
  }, [visible, everyMs]);
}
