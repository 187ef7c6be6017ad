// The draft under the radiologist's hands: autosaved a moment after each change (PUT
// /report with the version it was made to, If-Match), kept in localStorage until the
// server has it, retried when the network comes back (`online`) or every few seconds
// after an outage. A 412 means the draft moved on elsewhere (another tab): both texts
// are offered (keep mine, take theirs, edit with both in view), never one dropped.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, problemOf, type Problem } from '../../../api/client';
import type { Report } from '../../../api/types';
import { contentOf, emptyDraft, forgetEdit, keepEdit, keptEdit, sameContent, type DraftContent } from './draftStore';

export type SaveStatus = 'new' | 'saved' | 'dirty' | 'saving' | 'offline' | 'failed' | 'conflict' | 'lost';

const debounceMs = 1200;
const retryMs = 5000;

export interface Draft {
  content: DraftContent;
  status: SaveStatus;
  savedAt: Date | null;
  theirs: Report | null; // the server's draft in a conflict
  reference: Report | null; // the server's draft kept in view while editing after a conflict
  restoredAt: string | null; // when a kept edit was restored on load
  problem: Problem | null;
  change(next: Partial<DraftContent>): void;
  saveNow(): Promise<boolean>;
  keepMine(): void;
  takeTheirs(): void;
  editBoth(): void;
  closeReference(): void;
  sign(): Promise<Report | null>;
}

export function useDraft(studyUid: string, user: string, server: Report | null): Draft {
  const path = `/studies/${encodeURIComponent(studyUid)}/report`;
  const initial = server ? contentOf(server) : emptyDraft;
  const [content, setContent] = useState<DraftContent>(initial);
  const [status, setStatus] = useState<SaveStatus>(server ? 'saved' : 'new');
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  const [theirs, setTheirs] = useState<Report | null>(null);
  const [reference, setReference] = useState<Report | null>(null);
  const [restoredAt, setRestoredAt] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  // What the callbacks need fresh, whatever render they were made in.
  const current = useRef(initial);
  const version = useRef(server?.version ?? 0);
  const onServer = useRef<DraftContent>(initial);
  const inFlight = useRef<Promise<boolean> | null>(null);
  const blocked = useRef(false); // a conflict or a lost claim: no save until the user decides
  const timer = useRef(0);

  const keep = () =>
    keepEdit(studyUid, user, { ...current.current, base: version.current, edited_at: new Date().toISOString() });
  const schedule = (ms: number) => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void saveNow(), ms);
  };
  const showConflict = (report: Report) => {
    blocked.current = true;
    setTheirs(report);
    setStatus('conflict');
  };

  async function put(): Promise<boolean> {
    const sent = contentOf(current.current);
    setStatus('saving');
    try {
      const saved = await api<Report>(path, { method: 'PUT', body: sent, ifMatch: version.current || undefined });
      version.current = saved.version;
      onServer.current = sent;
      setSavedAt(new Date());
      setProblem(null);
      if (sameContent(current.current, sent)) {
        forgetEdit(studyUid, user);
        setStatus('saved');
      } else {
        keep(); // typed on while it was saving: the new base, saved next
        setStatus('dirty');
        schedule(debounceMs);
      }
      return true;
    } catch (error) {
      const found = problemOf(error);
      if (found.status === 412) {
        try {
          const now = await api<Report>(path);
          if (now.status === 'draft') {
            showConflict(now);
            return false;
          }
        } catch {
          // fall through: said as a failure, the edit kept
        }
      }
      if (found.kind === 'offline' || found.kind === 'outage') {
        setStatus('offline');
        schedule(retryMs);
      } else if (found.kind === 'conflict') {
        blocked.current = true;
        setStatus('lost');
      } else {
        setStatus('failed');
        if (found.kind !== 'expired') setProblem(found);
      }
      return false;
    }
  }

  async function saveNow(): Promise<boolean> {
    window.clearTimeout(timer.current);
    if (blocked.current) return false;
    if (inFlight.current) await inFlight.current;
    if (sameContent(current.current, onServer.current) && version.current > 0) return true;
    if (!navigator.onLine) {
      setStatus('offline'); // the `online` event retries
      return false;
    }
    inFlight.current = put();
    try {
      return await inFlight.current;
    } finally {
      inFlight.current = null;
    }
  }

  // On load: an edit this browser kept but the server never got.
  useEffect(() => {
    const kept = keptEdit(studyUid, user);
    if (!kept || sameContent(kept, initial)) return forgetEdit(studyUid, user);
    current.current = contentOf(kept);
    setContent(current.current);
    if (server && kept.base !== server.version) return showConflict(server);
    setRestoredAt(kept.edited_at);
    setStatus('dirty');
    schedule(debounceMs);
  }, []);

  useEffect(() => {
    const online = () => void saveNow();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      window.clearTimeout(timer.current);
    };
  }, []);

  return {
    content,
    status,
    savedAt,
    theirs,
    reference,
    restoredAt,
    problem,
    change(next) {
      current.current = { ...current.current, ...next };
      setContent(current.current);
      keep();
      if (blocked.current) return;
      setStatus('dirty');
      schedule(debounceMs);
    },
    saveNow,
    keepMine() {
      if (!theirs) return;
      version.current = theirs.version;
      onServer.current = contentOf(theirs);
      blocked.current = false;
      setTheirs(null);
      keep();
      void saveNow();
    },
    takeTheirs() {
      if (!theirs) return;
      version.current = theirs.version;
      current.current = onServer.current = contentOf(theirs);
      setContent(current.current);
      blocked.current = false;
      setTheirs(null);
      forgetEdit(studyUid, user);
      setStatus('saved');
    },
    editBoth() {
      if (!theirs) return;
      version.current = theirs.version;
      onServer.current = contentOf(theirs);
      blocked.current = false;
      setReference(theirs);
      setTheirs(null);
      keep();
      setStatus('dirty'); // saved when the user next types, or by Save now
    },
    closeReference: () => setReference(null),
    async sign() {
      if (!(await saveNow())) return null;
      try {
        const signed = await api<Report>(`${path}/sign`, { method: 'POST', ifMatch: version.current });
        forgetEdit(studyUid, user);
        return signed;
      } catch (error) {
        const found = problemOf(error);
        if (found.kind !== 'expired') setProblem(found);
        return null;
      }
    },
  };
}
