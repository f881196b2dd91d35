import { logger, type Redis } from '@hub/core';
import { publish, subscribe } from '../pubsub.ts';
import type { FlagDefinition } from './flags.schemas.ts';

/** What an instance announces after a write: which flag, which document, at which version (null: deleted). */
export interface FlagChange {
  key: string;
  id: string;
  version: number | null;
}

/** A change this instance's snapshot has applied; SSE clients are told about each one. */
export interface AppliedChange {
  key: string;
  version: number | null;
  /** Counts every change applied here: the SSE event id. */
  revision: number;
  at: Date;
}

/**
 * This instance's in-memory copy of every flag: evaluation reads it and never the database.
 * A write on any instance is announced on the Redis channel; every instance (the writer too)
 * then re-reads that one flag from MongoDB, the source of truth, and applies it.
 */
export interface LiveFlags {
  get(key: string): FlagDefinition | undefined;
  /** Every flag, by key. */
  all(): FlagDefinition[];
  /** Goes up by one with every change applied. */
  readonly revision: number;
  /** After this instance wrote a flag (null: deleted it): apply it here at once, and tell the others. */
  changed(key: string, flag: FlagDefinition | null): Promise<void>;
  /** Calls `listener` after each change applied; returns the function that stops it. */
  onChange(listener: (change: AppliedChange) => void): () => void;
  /** Calls `listener` once when the snapshot stops (an SSE stream ends then); returns the function that cancels it. */
  onStop(listener: () => void): () => void;
  /** Stops listening to the channel and ends what waits on it; safe to call twice. */
  stop(): Promise<void>;
}

export interface LiveFlagsOptions {
  redis: Redis;
  channel: string;
  /** Every stored flag (at start, and after Redis reconnects). */
  loadAll: () => Promise<FlagDefinition[]>;
  /** One stored flag, or null when there is none. */
  loadOne: (key: string) => Promise<FlagDefinition | null>;
  now?: () => Date;
}

const isChange = (message: unknown): message is FlagChange => {
  const { key, id, version } = (message ?? {}) as Record<string, unknown>;
  return typeof key === 'string' && typeof id === 'string' && (version === null || typeof version === 'number');
};

/**
 * Subscribes first, then loads every flag, so no change made meanwhile is missed. Changes are
 * applied one at a time, in arrival order: a re-read that started later always lands later.
 */
export async function startLiveFlags({ redis, channel, loadAll, loadOne, now = () => new Date() }: LiveFlagsOptions): Promise<LiveFlags> {
  const flags = new Map<string, FlagDefinition>();
  const listeners = new Set<(change: AppliedChange) => void>();
  const stopListeners = new Set<() => void>();
  let stopped = false;
  let revision = 0;
  let queue: Promise<void> = Promise.resolve();
  const inOrder = (work: () => Promise<void> | void) => {
    queue = queue.then(work).catch((error: unknown) => {
      logger.warn('A flag change could not be applied', { error: (error as Error).message });
    });
    return queue;
  };

  /** Keeps the newer of what is held and what arrived; a different id is a new flag under the same key. */
  function apply(key: string, flag: FlagDefinition | null) {
    const held = flags.get(key);
    if (flag === null) {
      if (!held) return;
      flags.delete(key);
    } else {
      if (held && held.id === flag.id && held.version >= flag.version) return;
      flags.set(key, flag);
    }
    revision += 1;
    const change = { key, version: flag?.version ?? null, revision, at: now() };
    for (const listener of listeners) listener(change);
  }

  const reloadAll = () =>
    inOrder(async () => {
      const stored = await loadAll();
      const keys = new Set(stored.map((flag) => flag.key));
      for (const key of [...flags.keys()]) if (!keys.has(key)) apply(key, null);
      for (const flag of stored) apply(flag.key, flag);
    });

  const subscription = subscribe(
    redis,
    channel,
    (message) => {
      if (!isChange(message)) return;
      const held = flags.get(message.key);
      // The writer's own announcement, or one already overtaken: nothing to read.
      if (held && held.id === message.id && message.version !== null && held.version >= message.version) return;
      void inOrder(async () => apply(message.key, await loadOne(message.key)));
    },
    () => void reloadAll(),
  );
  await subscription.ready;
  await reloadAll();

  return {
    get: (key) => flags.get(key),
    all: () => [...flags.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    get revision() {
      return revision;
    },
    async changed(key, flag) {
      await inOrder(() => apply(key, flag));
      const held = flag ?? undefined;
      // The write is stored already: a Redis that does not answer must not turn it into an error the
      // client would retry. The other instances reload everything when their own connection returns.
      await publish(redis, channel, { key, id: held?.id ?? '', version: held?.version ?? null } satisfies FlagChange).catch(
        (error: unknown) => logger.warn(`Flag ${key} changed, but the change could not be announced`, { error: (error as Error).message }),
      );
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onStop(listener) {
      stopListeners.add(listener);
      return () => stopListeners.delete(listener);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      listeners.clear();
      for (const listener of [...stopListeners]) listener();
      stopListeners.clear();
      await subscription.close();
    },
  };
}
