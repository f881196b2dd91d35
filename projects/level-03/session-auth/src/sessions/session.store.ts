import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import type { RedisClient } from '../redis.ts';
import type { Timeouts } from './session.ts';

/**
 * Where sessions live: Redis, shared by every instance of the service, never process memory.
 * Two kinds of keys, both under the service's prefix:
 *
 *   <prefix>sess:<session id>          the session as JSON (connect-redis); TTL = the idle timeout
 *   <prefix>user-sessions:<user id>    a set of that user's session ids, to list and revoke them
 *
 * A session authenticates only while its id is in its user's set, so removing it from the set
 * is what revokes it; deleting the session itself is done at the same time.
 */
export function createSessionStore({ redis, keyPrefix, timeouts }: { redis: RedisClient; keyPrefix: string; timeouts: Timeouts }) {
  const store = new RedisStore({ client: redis, prefix: `${keyPrefix}sess:` });
  const sessionKey = (sessionId: string) => `${store.prefix}${sessionId}`;
  const userKey = (userId: string) => `${keyPrefix}user-sessions:${userId}`;

  return {
    /** The express-session store. */
    store,

    /** Lists a new session under its user. The set expires when its newest session would have to. */
    async track(userId: string, sessionId: string): Promise<void> {
      await redis.multi().sAdd(userKey(userId), sessionId).expire(userKey(userId), timeouts.absoluteSeconds).exec();
    },

    /** Whether the session is still listed: not signed out, not revoked, not timed out. */
    async isTracked(userId: string, sessionId: string): Promise<boolean> {
      return Boolean(await redis.sIsMember(userKey(userId), sessionId));
    },

    /** The user's session ids, whatever state their sessions are in. */
    idsOf(userId: string): Promise<string[]> {
      return redis.sMembers(userKey(userId));
    },

    /** The user's sessions that still exist; ids whose session has gone (its TTL ran out) are pruned from the set. */
    async sessionsOf(userId: string): Promise<Array<{ id: string; session: Partial<SessionData> }>> {
      const ids = await redis.sMembers(userKey(userId));
      const found = await Promise.all(ids.map(async (id) => ({ id, session: (await store.get(id)) as Partial<SessionData> | null })));
      const gone = found.filter(({ session }) => !session).map(({ id }) => id);
      if (gone.length > 0) await redis.sRem(userKey(userId), gone);
      return found.filter((entry): entry is { id: string; session: Partial<SessionData> } => entry.session !== null);
    },

    /** Ends a session for good: out of its user's set and out of Redis, in one transaction. */
    async revoke(userId: string, sessionId: string): Promise<void> {
      await redis.multi().sRem(userKey(userId), sessionId).del(sessionKey(sessionId)).exec();
    },
  };
}
export type SessionStore = ReturnType<typeof createSessionStore>;
