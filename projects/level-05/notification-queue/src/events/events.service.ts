import { randomUUID } from 'node:crypto';
import type { Enqueue } from '../jobs.ts';
import type { EventAccepted, EventInput } from './events.schemas.ts';

/**
 * Accepts an event: one `fanout` job and nothing else on the request path, so the producer's
 * request costs one Redis write whatever the number of recipients. The worker does the rest.
 */
export async function publishEvent(input: EventInput, { enqueue, now }: { enqueue: Enqueue; now: () => Date }): Promise<EventAccepted> {
  const event = { ...input, id: randomUUID(), at: now().toISOString() };
  await enqueue('fanout', event, { jobId: `event-${event.id}` });
  return { id: event.id, type: event.type, recipients: event.recipients.length, acceptedAt: event.at };
}
