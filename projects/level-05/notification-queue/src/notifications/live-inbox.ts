import { logger, type Redis } from '@hub/core';

// The in-app push: the worker publishes a stored notification on one Redis channel, and every
// web instance passes it to the SSE streams its recipient holds open on that instance.

const CHANNEL = 'notification-pushed';

export interface Pushed {
  recipient: string;
  notification: unknown;
}

/** The worker's side: one PUBLISH on the shared client. */
export const pushOn =
  (redis: Pick<Redis, 'publish'>) =>
  (recipient: string, notification: unknown): Promise<unknown> =>
    redis.publish(CHANNEL, JSON.stringify({ recipient, notification } satisfies Pushed));
export type Push = ReturnType<typeof pushOn>;

export interface LiveInbox {
  /** Resolves once Redis confirmed the subscription. */
  ready: Promise<void>;
  /** Calls `listener` with each notification pushed to `recipient`; returns unsubscribe. */
  listen(recipient: string, listener: (notification: unknown) => void): () => void;
  /** Calls `onStop` when the inbox closes (the streams end, so clients reconnect elsewhere). */
  onStop(onStop: () => void): () => void;
  close(): Promise<void>;
}

/** A web instance's side: its own subscribed connection (a subscribed one runs no other command). */
export function startLiveInbox(redis: Redis): LiveInbox {
  const subscriber = redis.duplicate();
  const listeners = new Map<string, Set<(notification: unknown) => void>>();
  const stops = new Set<() => void>();
  subscriber.on('message', (_channel: string, raw: string) => {
    try {
      const { recipient, notification } = JSON.parse(raw) as Pushed;
      for (const listener of listeners.get(recipient) ?? []) listener(notification);
    } catch {
      logger.warn(`Skipped a message on ${CHANNEL} that is not JSON`);
    }
  });
  return {
    ready: subscriber.subscribe(CHANNEL).then(() => undefined),
    listen(recipient, listener) {
      const own = listeners.get(recipient) ?? new Set();
      own.add(listener);
      listeners.set(recipient, own);
      return () => {
        own.delete(listener);
        if (own.size === 0) listeners.delete(recipient);
      };
    },
    onStop(onStop) {
      stops.add(onStop);
      return () => stops.delete(onStop);
    },
    async close() {
      for (const stop of stops) stop();
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
