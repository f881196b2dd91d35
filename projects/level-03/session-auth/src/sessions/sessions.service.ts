import { notFound, toAccountView, User, type AccountView, type Principal } from '@hub/core';
import type { SessionData } from 'express-session';
import { handleOf, isSignedIn, timedOut, type SignedInSession, type Timeouts } from './session.ts';
import type { SessionStore } from './session.store.ts';
import type { SessionView } from './sessions.schemas.ts';

const toView = (id: string, session: SignedInSession, current: boolean): SessionView => ({
  id: handleOf(id),
  createdAt: new Date(session.createdAt).toISOString(),
  lastSeenAt: new Date(session.lastSeenAt).toISOString(),
  userAgent: session.userAgent,
  ip: session.ip,
  current,
});

/** The signed-in user's use cases: who am I, where am I signed in, sign one of those out. */
export function createSessionService({ store, timeouts, now }: { store: SessionStore; timeouts: Timeouts; now: () => Date }) {
  const isLive = (session: Partial<SessionData>): session is Partial<SessionData> & SignedInSession =>
    isSignedIn(session) && !timedOut(session, now(), timeouts);

  return {
    /** The signed-in account; undefined when it was deleted after the session began. */
    async account(principal: Principal): Promise<AccountView | undefined> {
      const user = await User.findById(principal.id);
      return user ? toAccountView(user) : undefined;
    },

    /** My sessions, newest first. Timed-out ones are revoked on the way instead of listed. */
    async list(principal: Principal, currentId: string): Promise<SessionView[]> {
      const sessions = await store.sessionsOf(principal.id);
      const over = sessions.filter(({ session }) => !isLive(session));
      await Promise.all(over.map(({ id }) => store.revoke(principal.id, id)));
      return sessions
        .flatMap(({ id, session }) => (isLive(session) ? [toView(id, session, id === currentId)] : []))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
    },

    /**
     * Revokes one of my sessions by its handle and returns its id. Only my own set is searched,
     * so another user's session answers 404, exactly like one that never existed.
     */
    async revoke(principal: Principal, handle: string): Promise<string> {
      const id = (await store.idsOf(principal.id)).find((sessionId) => handleOf(sessionId) === handle);
      if (!id) throw notFound(`You have no session with id ${handle}.`);
      await store.revoke(principal.id, id);
      return id;
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;
