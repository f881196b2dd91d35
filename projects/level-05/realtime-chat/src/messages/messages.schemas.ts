import { objectId } from '@hub/core';
import { z } from 'zod';

/** The largest message text, in UTF-8 bytes. */
export const MAX_MESSAGE_BYTES = 4096;
/** The most messages one history page or one replay holds. */
export const MAX_HISTORY = 100;

const limit = z.coerce.number().int().min(1).max(MAX_HISTORY).default(50).describe(`1 to ${MAX_HISTORY}; 50 when absent`);

/** GET /rooms/:id/messages: newest first, older than `before` when given. */
export const HistoryQuery = z.strictObject({
  before: objectId.optional().describe('a message id: only messages older than it'),
  limit,
});
export type HistoryQuery = z.output<typeof HistoryQuery>;

// Socket event payloads (the chat/ events parse them with socketEvents()).

export const MessageInput = z.strictObject({
  roomId: objectId,
  clientId: z.string().trim().min(1).max(64).describe('the sender’s id for this message; a retry reuses it'),
  text: z
    .string()
    .trim()
    .min(1)
    .refine((text) => Buffer.byteLength(text, 'utf8') <= MAX_MESSAGE_BYTES, `must be at most ${MAX_MESSAGE_BYTES} bytes`),
});
export type MessageInput = z.output<typeof MessageInput>;

export const HistoryInput = z.strictObject({ roomId: objectId, before: objectId.optional(), limit: limit.optional() });
export const JoinInput = z.strictObject({
  roomId: objectId,
  lastSeenId: objectId.optional().describe('the newest message this client has'),
});
export const TypingInput = z.strictObject({ roomId: objectId, typing: z.boolean() });
export const RoomRef = z.strictObject({ roomId: objectId });

// Response schemas.

export const MessageView = z
  .object({
    id: z.string(),
    roomId: z.string(),
    authorId: z.string(),
    clientId: z.string(),
    text: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Message' });
export type MessageView = z.infer<typeof MessageView>;

export const HistoryPage = z
  .object({
    items: z.array(MessageView).describe('newest first'),
    nextBefore: z.string().nullable().describe('pass as before= for the older page; null on the last one'),
  })
  .meta({ id: 'HistoryPage' });
export type HistoryPage = z.infer<typeof HistoryPage>;
