import { logger } from '@hub/core';
import { ClickCount } from './click-count.model.ts';

export interface ClickEvent {
  link: string;
  at: Date;
  referrer: string;
  device: string;
  bot: boolean;
}

export interface ClickRecorder {
  /** Counts a click in memory and returns at once: the redirect never waits on MongoDB. */
  record(click: ClickEvent): void;
  /** Writes what is counted so far (one write at a time); what fails is counted again for the next flush. */
  flush(): Promise<void>;
  /** Clicks counted in memory and not yet written. */
  pending(): number;
  /** Stops the timer and writes what is left (server shutdown). */
  stop(): Promise<void>;
}

export interface ClickRecorderOptions {
  flushEveryMs: number;
  /** A flush starts as soon as this many clicks are waiting. */
  batchSize: number;
  /** The most distinct counters held while MongoDB is unreachable; clicks for new ones are then dropped, and logged. */
  maxCounters?: number;
  /** Sends one batch of upserts (default: ClickCount.bulkWrite, unordered); tests pass their own. */
  write?: (upserts: CounterUpsert[]) => Promise<unknown>;
}

type Counter = Omit<ClickEvent, 'at'> & { day: string; clicks: number };
export interface CounterUpsert {
  updateOne: { filter: Omit<Counter, 'clicks'>; update: { $inc: { clicks: number } }; upsert: true };
}

const bulkWrite = (upserts: CounterUpsert[]) => ClickCount.bulkWrite(upserts, { ordered: false });

/**
 * Clicks are counted in memory and written in batches, off the request path: a slow or stopped
 * MongoDB delays the stats, never a redirect. A batch is one $inc upsert per (link, day,
 * referrer, device, bot). An upsert that failed is counted again for the next flush; so when
 * MongoDB applied a write but the answer was lost, those clicks can count twice, and what is
 * still in memory when the process dies is lost. Stats are best-effort; visit limits are exact
 * because they never go through here.
 */
export function createClickRecorder({
  flushEveryMs,
  batchSize,
  maxCounters = 100_000,
  write: send = bulkWrite,
}: ClickRecorderOptions): ClickRecorder {
  let counters = new Map<string, Counter>();
  let waiting = 0;
  let writing: Promise<void> | undefined;

  function add(counter: Counter) {
    const key = `${counter.link} ${counter.day} ${counter.bot} ${counter.device} ${counter.referrer}`;
    const existing = counters.get(key);
    if (existing) existing.clicks += counter.clicks;
    else if (counters.size < maxCounters) counters.set(key, { ...counter });
    else return logger.warn(`dropping ${counter.clicks} clicks: ${maxCounters} counters are waiting for MongoDB`);
    waiting += counter.clicks;
  }

  async function write(): Promise<void> {
    const batch = [...counters.values()];
    counters = new Map();
    waiting = 0;
    if (batch.length === 0) return;
    const upserts = batch.map(({ clicks, ...filter }): CounterUpsert => ({
      updateOne: { filter, update: { $inc: { clicks } }, upsert: true },
    }));
    try {
      await send(upserts);
    } catch (error) {
      // The failed upserts when MongoDB says which (two instances racing to create one counter:
      // 11000, and the retry then finds it), else all of them.
      const failed = failedIndexes(error);
      for (const [index, counter] of batch.entries()) if (!failed || failed.has(index)) add(counter);
      throw error;
    }
  }

  function flush(): Promise<void> {
    writing ??= write().finally(() => {
      writing = undefined;
    });
    return writing;
  }

  const background = () =>
    flush().catch((error: unknown) =>
      logger.warn('click write failed; counted again for the next flush', {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  const timer = setInterval(background, flushEveryMs);
  timer.unref();

  return {
    record({ at, ...click }) {
      add({ ...click, day: at.toISOString().slice(0, 10), clicks: 1 });
      if (waiting >= batchSize && !writing) void background();
    },
    flush,
    pending: () => waiting,
    async stop() {
      clearInterval(timer);
      await writing?.catch(() => {});
      await flush();
    },
  };
}

/** The indexes of the operations a bulk write reports as failed, or undefined when it says nothing. */
function failedIndexes(error: unknown): Set<number> | undefined {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (list.length === 0) return undefined;
  return new Set(list.map((writeError: { index: number }) => writeError.index));
}
