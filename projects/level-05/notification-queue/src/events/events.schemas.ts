import { clientBody, objectId } from '@hub/core';
import { z } from 'zod';
import { TYPE_NAMES } from '../notifications/notification-types.ts';

/** POST /events: one domain event and who it concerns. */
export const EventInput = clientBody(
  z.object({
    type: z.enum(TYPE_NAMES).meta({ example: 'comment.created' }),
    recipients: z
      .array(objectId)
      .min(1)
      .max(100)
      .refine((ids) => new Set(ids).size === ids.length, 'each recipient once')
      .meta({ description: 'user ids, 1 to 100, each once' }),
    title: z.string().trim().min(1).max(200).meta({ example: 'Ada commented on your post' }),
    body: z.string().max(2000).default(''),
    digestKey: z
      .string()
      .regex(/^[\w.-]{1,100}$/, 'letters, digits, _ . and -, up to 100')
      .optional()
      .meta({ description: 'events with the same key for a recipient within the digest window become one notification' }),
  }),
);
export type EventInput = z.output<typeof EventInput>;

export const EventAccepted = z
  .object({ id: z.uuid(), type: z.enum(TYPE_NAMES), recipients: z.int(), acceptedAt: z.iso.datetime() })
  .meta({ id: 'EventAccepted' });
export type EventAccepted = z.infer<typeof EventAccepted>;
