import { Delivery } from '../deliveries/delivery.model.ts';
import type { DomainEvent, Enqueue } from '../jobs.ts';
import { Notification } from '../notifications/notification.model.ts';
import { CHANNELS, type NotificationTypeName } from '../notifications/notification-types.ts';
import { Digest } from './digest.model.ts';

// The worker's first step: one domain event becomes, for each recipient, a notification and
// one delivery job per channel, or joins the recipient's digest for its key and window. Every
// write is keyed (notification by source, delivery by notification+channel, job by jobId), so a
// fan-out that runs twice writes and enqueues everything once.

export interface FanOutDeps {
  enqueue: Enqueue;
  now: () => Date;
  digestWindowMs: number;
}

const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;
/** Runs an upsert; when two raced and this one lost (11000), runs it once more against the winner's document. */
const upsertRetrying = <T>(write: () => Promise<T>) =>
  write().catch((error: unknown) => (isDuplicate(error) ? write() : Promise.reject(error)));

interface NewNotification {
  recipient: string;
  type: NotificationTypeName;
  title: string;
  body: string;
  events: string[];
  source: string;
}

/** Stores the notification (once per source) and queues one delivery per channel. */
export async function notify(input: NewNotification, { enqueue }: Pick<FanOutDeps, 'enqueue'>): Promise<string> {
  const { recipient, source, ...content } = input;
  const stored = await upsertRetrying(() =>
    Notification.findOneAndUpdate(
      { recipient, source },
      { $setOnInsert: { ...content, channels: [...CHANNELS] } },
      { upsert: true, returnDocument: 'after' },
    ).lean(),
  );
  const id = String(stored._id);
  const records = CHANNELS.map((channel) => ({ notification: id, recipient, channel }));
  await Delivery.insertMany(records, { ordered: false }).catch((error: unknown) => {
    // Already there from an earlier run: the unique (notification, channel) index refused the copies.
    if (!isDuplicate(error)) throw error;
  });
  for (const channel of CHANNELS) await enqueue('deliver', { notification: id, channel }, { jobId: `deliver-${id}-${channel}` });
  return id;
}

export async function fanOut(event: DomainEvent, deps: FanOutDeps): Promise<{ notifications: number; digested: number }> {
  let notifications = 0;
  let digested = 0;
  for (const recipient of event.recipients) {
    if (event.digestKey) {
      await addToDigest(event, recipient, event.digestKey, deps);
      digested += 1;
    } else {
      await notify({ ...event, recipient, events: [event.id], source: `event-${event.id}` }, deps);
      notifications += 1;
    }
  }
  return { notifications, digested };
}

/**
 * Events of one recipient, type and key whose times fall in the same window (fixed windows of
 * DIGEST_WINDOW_SECONDS) meet in one digest document; a delayed job flushes it when the window closes.
 */
async function addToDigest(event: DomainEvent, recipient: string, key: string, { enqueue, now, digestWindowMs }: FanOutDeps) {
  const start = Math.floor(Date.parse(event.at) / digestWindowMs) * digestWindowMs;
  const id = `${recipient}/${event.type}/${key}/${start}`;
  const closesAt = new Date(start + digestWindowMs);
  // The filter skips a digest that already holds this event, so a repeated fan-out adds it once
  // (its upsert then collides with the existing _id: 11000, nothing to do).
  await Digest.updateOne(
    { _id: id, events: { $ne: event.id } },
    { $push: { events: event.id, titles: event.title }, $setOnInsert: { recipient, type: event.type, key, closesAt } },
    { upsert: true },
  ).catch((error: unknown) => {
    if (!isDuplicate(error)) throw error;
    return Digest.updateOne({ _id: id, events: { $ne: event.id } }, { $push: { events: event.id, titles: event.title } });
  });
  const jobId = `digest-${Buffer.from(id).toString('base64url')}`;
  await enqueue('flush-digest', { digest: id }, { jobId, delay: Math.max(0, closesAt.getTime() - now().getTime()) });
}

/** The window closed: one notification summarising its N events, delivered like any other. */
export async function flushDigest(id: string, deps: Pick<FanOutDeps, 'enqueue'>): Promise<string | undefined> {
  const digest = await Digest.findOneAndUpdate({ _id: id }, { $set: { flushed: true } }, { returnDocument: 'after' }).lean();
  if (!digest) return undefined;
  const count = digest.events.length;
  const title = count === 1 ? (digest.titles[0] ?? digest.type) : `${count} new ${digest.type} events`;
  return notify(
    {
      recipient: String(digest.recipient),
      type: digest.type as NotificationTypeName,
      title,
      body: digest.titles.map((line) => `- ${line}`).join('\n'),
      events: digest.events,
      source: `digest-${id}`,
    },
    deps,
  );
}
