// Loading e-examination lists for a page: every query in `queries` (GET
// /api/v1/consultations?…), refreshed every `refreshMs` while the tab is visible and
// nothing is being edited; a late answer of an older load never overwrites a newer one.
// A failed refresh keeps the list shown and names the problem.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from '../../api/client';
import type { Page } from '../../api/types';
import { usePolling, useVisible } from '../../hooks';
import type { Consultation } from './consultation';

export interface ExamLists {
  lists: Consultation[][] | null; // one per query, in order; null until the first answer
  problem: Problem | null;
  setProblem: (problem: Problem | null) => void;
  updatedAt: Date | null;
  visible: boolean;
  load: () => Promise<void>;
}

export function useExamLists(queries: string[], refreshMs: number, paused: boolean): ExamLists {
  const visible = useVisible();
  const [lists, setLists] = useState<Consultation[][] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const generation = useRef(0);
  const key = queries.join('|');
  const load = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const pages = await Promise.all(queries.map((q) => api<Page<Consultation>>('/consultations' + q)));
      if (mine !== generation.current) return;
      setLists(pages.map((p) => p.items));
      setProblem(null);
      setUpdatedAt(new Date());
    } catch (error) {
      if (mine !== generation.current) return;
      const found = problemOf(error);
      if (found.kind !== 'expired') setProblem(found);
    }
  }, [key]);
  useEffect(() => {
    setLists(null);
    load();
  }, [load]);
  usePolling(load, refreshMs, visible && !paused);
  return { lists, problem, setProblem, updatedAt, visible, load };
}
