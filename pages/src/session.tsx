// Who is signed in. The session is the server's HttpOnly cookie, invisible to this
// script, so the pages ask GET /auth/session when they start. Any call answered 401
// (client.ts onExpired) ends the session here with `expired` set: the shell then shows
// the sign-in page and, once signed in again, the page the user was on.
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { api, forgetAnswers, onExpired, problemOf, type Problem } from './api/client';
import type { LoginAnswer, Role, SessionAnswer } from './api/types';

export interface User {
  username: string;
  role: Role;
}

export type SessionState =
  | { status: 'loading' }
  | { status: 'unreachable'; problem: Problem }
  | { status: 'signed_out'; expired: boolean; signedOut: boolean }
  | { status: 'signed_in'; user: User };

export interface Session {
  state: SessionState;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  reload(): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    api<SessionAnswer>('/auth/session')
      .then((answer) =>
        setState(
          answer.signed_in && answer.username && answer.role
            ? { status: 'signed_in', user: { username: answer.username, role: answer.role } }
            : { status: 'signed_out', expired: false, signedOut: false },
        ),
      )
      .catch((error) => setState({ status: 'unreachable', problem: problemOf(error) }));
  }, []);

  useEffect(reload, [reload]);
  useEffect(
    () =>
      onExpired(() =>
        setState((previous) =>
          previous.status === 'signed_in' ? { status: 'signed_out', expired: true, signedOut: false } : previous,
        ),
      ),
    [],
  );

  const signIn = useCallback(async (username: string, password: string) => {
    const answer = await api<LoginAnswer>('/auth/login', {
      method: 'POST',
      body: { username, password, cookie: true },
      expectUnauthenticated: true,
    });
    setState({ status: 'signed_in', user: { username, role: answer.role } });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api('/auth/logout', { method: 'POST', expectUnauthenticated: true });
    } catch (error) {
      // Already expired is signed out all the same; an outage is reported to the caller.
      if (problemOf(error).kind !== 'expired') throw error;
    }
    forgetAnswers();
    setState({ status: 'signed_out', expired: false, signedOut: true });
  }, []);

  const value = useMemo(() => ({ state, signIn, signOut, reload }), [state, signIn, signOut, reload]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export function useUser(): User {
  const { state } = useSession();
  if (state.status !== 'signed_in') throw new Error('useUser without a signed-in user');
  return state.user;
}
