import { logger } from '@hub/core';
import mongoose from 'mongoose';
import { Click } from './click.model.ts';

export interface ClickEvent {
  link: string;
  at: Date;
  referrer: string;
  device: string;
  bot: boolean;
}

export interface ClickRecorder {
  /** Queues a click and returns at once: the redirect never waits on MongoDB. */
  record(click: ClickEvent): void;
  /** Writes what is queued now (one write at a time); a failed batch goes back to the queue. */
  flush(): Promise<void>;
  /** Clicks queued and not yet written. */
  pending(): number;
  /** Stops the timer and writes what is left (server shutdown). */
  stop(): Promise<void>;
}

export interface ClickRecorderOptions {
  flushEveryMs: number;
  batchSize: number;
  /** The most clicks held while MongoDB is unreachable; beyond it the oldest are dropped, and logged. */
  maxPending?: number;
}

type QueuedClick = ClickEvent & { _id: mongoose.Types.ObjectId };

/**
 * Clicks are buffered in memory and written in batches, off the request path: a slow or
 * stopped MongoDB delays the stats, never a redirect. Each click gets its id when it is
 * queued, so a batch retried after a failure that MongoDB had partly applied inserts each
 * click once (the duplicates are refused by _id and ignored). What is still queued when the
 * process dies is lost: stats are best-effort, visit limits are not (they never go through here).
 */
export function createClickRecorder({ flushEveryMs, batchSize, maxPending = 100_000 }: ClickRecorderOptions): ClickRecorder {
  let queue: QueuedClick[] = [];
  let writing: Promise<void> | undefined;

  async function writeBatch(batch: QueuedClick[]): Promise<void> {
    const docs = batch.map((click) => ({ ...click, day: click.at.toISOString().slice(0, 10) }));
    try {
      await Click.insertMany(docs, { ordered: false });
    } catch (error) {
      if (onlyDuplicates(error)) return;
      // Back to the front, in order, and keep the newest when over the bound.
      queue = [...batch, ...queue];
      if (queue.length > maxPending) {
        logger.warn(`dropping ${queue.length - maxPending} clicks: MongoDB has not taken them`);
        queue = queue.slice(queue.length - maxPending);
      }
      throw error;
    }
  }

  async function flushAll(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, batchSize);
      await writeBatch(batch);
    }
  }

  function flush(): Promise<void> {
    writing ??= flushAll().finally(() => {
      writing = undefined;
    });
    return writing;
  }

  const background = () =>
    flush().catch((error: unknown) =>
      logger.warn('click write failed; retrying on the next flush', { error: error instanceof Error ? error.message : String(error) }),
    );
  const timer = setInterval(background, flushEveryMs);
  timer.unref();

  return {
    record(click) {
      queue.push({ ...click, _id: new mongoose.Types.ObjectId() });
      if (queue.length >= batchSize && !writing) void background();
    },
    flush,
    pending: () => queue.length,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}

/** A batch error where every failed insert was a duplicate _id: those clicks were already written. */
function onlyDuplicates(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((writeError: { code?: number; err?: { code?: number } }) => (writeError.code ?? writeError.err?.code) === 11000);
}
