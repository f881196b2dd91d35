import type { Channel, NotificationTypeName } from './notifications/notification-types.ts';

// What travels through the queue: the job names and their data. The web process only adds
// `fanout` jobs; the worker adds the rest while it handles them.

export const QUEUE_NAME = 'notifications';

/** A domain event as POST /events accepted it; `at` is the server's time, so a retried fan-out lands in the same digest window. */
export interface DomainEvent {
  id: string;
  type: NotificationTypeName;
  recipients: string[];
  title: string;
  body: string;
  digestKey?: string | undefined;
  at: string;
}

export interface JobDataOf {
  fanout: DomainEvent;
  deliver: { notification: string; channel: Channel };
  'flush-digest': { digest: string };
}
export type JobName = keyof JobDataOf;

/**
 * Adds a job: a BullMQ queue in production (enqueueOn), a recording in tests. `jobId` makes a
 * second add of the same job a no-op while the first is still kept.
 */
export type Enqueue = <Name extends JobName>(
  name: Name,
  data: JobDataOf[Name],
  options: { jobId: string; delay?: number },
) => Promise<unknown>;

interface QueueLike {
  add(name: string, data: unknown, options: { jobId: string; delay?: number }): Promise<unknown>;
}

export const enqueueOn =
  (queue: QueueLike): Enqueue =>
  (name, data, options) =>
    queue.add(name, data, options);
