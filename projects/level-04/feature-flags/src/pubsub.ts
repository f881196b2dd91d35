import { logger, type Redis } from '@hub/core';

// A small Redis pub/sub helper: JSON messages on one channel. Publishing uses the shared client;
// subscribing needs a connection of its own, because a subscribed Redis connection can run no
// other command.

export const publish = (redis: Redis, channel: string, message: object): Promise<number> => redis.publish(channel, JSON.stringify(message));

export interface Subscription {
  /** Resolves once Redis has confirmed the subscription: a message published after this is received. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Calls `onMessage` with each parsed message on `channel`, and `onReconnect` when the
 * connection comes back after a drop (messages sent meanwhile are lost: reload everything).
 * A message that is not JSON is logged and skipped.
 */
export function subscribe(
  redis: Redis,
  channel: string,
  onMessage: (message: unknown) => void,
  onReconnect: () => void = () => {},
): Subscription {
  const subscriber = redis.duplicate();
  let connectedOnce = false;
  subscriber.on('message', (from: string, raw: string) => {
    if (from !== channel) return;
    try {
      onMessage(JSON.parse(raw) as unknown);
    } catch {
      logger.warn(`Skipped a message on ${channel} that is not JSON`);
    }
  });
  subscriber.on('ready', () => {
    if (connectedOnce) onReconnect();
    connectedOnce = true;
  });
  const ready = subscriber.subscribe(channel).then(() => undefined);
  return {
    ready,
    close: async () => {
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
