import type { Redis } from '@hub/core';
import type { SocketTimers } from '@hub/core/socket';

export interface PresenceOptions {
  redis: Redis;
  /** The key prefix of this deployment (CHAT_CHANNEL). */
  prefix: string;
  /** How long a user with no open socket stays online: a reload or a flaky network is not a departure. */
  graceMs: number;
  timers: SocketTimers;
  /** Tells the user's rooms that they came online or left. */
  announce(userId: string, online: boolean): Promise<void>;
}

/**
 * Who is online, across tabs and instances, in Redis: a set of socket ids per user, and an
 * `announced` flag per user so that each change is announced once, whichever instance sees it.
 * The first socket sets the flag (SET NX) and announces "online"; when the last one closes,
 * the user stays online for the grace period, and only if no socket came back by then does the
 * instance that saw the last close clear the flag (DEL answers 1 to one caller) and announce "offline".
 */
export function createPresence({ redis, prefix, graceMs, timers, announce }: PresenceOptions) {
  const socketsKey = (userId: string) => `${prefix}:presence:${userId}`;
  const announcedKey = (userId: string) => `${prefix}:online:${userId}`;
  const pending = new Set<unknown>();

  async function connected(userId: string, socketId: string): Promise<void> {
    await redis.sadd(socketsKey(userId), socketId);
    if ((await redis.set(announcedKey(userId), '1', 'NX')) === 'OK') await announce(userId, true);
  }

  async function leaveIfGone(userId: string): Promise<void> {
    if ((await redis.scard(socketsKey(userId))) > 0) return;
    if ((await redis.del(announcedKey(userId))) === 1) await announce(userId, false);
  }

  async function disconnected(userId: string, socketId: string): Promise<void> {
    await redis.srem(socketsKey(userId), socketId);
    if ((await redis.scard(socketsKey(userId))) > 0) return;
    const handle = timers.setTimeout(() => {
      pending.delete(handle);
      void leaveIfGone(userId);
    }, graceMs);
    pending.add(handle);
  }

  /** Which of these users have at least one open socket, or closed their last one less than the grace period ago. */
  async function online(userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const flags = await redis.mget(...userIds.map(announcedKey));
    return userIds.filter((_, index) => flags[index] === '1');
  }

  /** Stops the grace timers (a stopping instance announces nothing more). */
  const stop = () => {
    for (const handle of pending) timers.clearTimeout(handle);
    pending.clear();
  };

  return { connected, disconnected, online, stop };
}
export type Presence = ReturnType<typeof createPresence>;
