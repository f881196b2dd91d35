import type { Principal } from '@hub/core';
import { requireMember } from '../rooms/rooms.service.ts';
import { Message, type MessageRecord } from './message.model.ts';
import { MAX_HISTORY, type HistoryPage, type MessageInput, type MessageView } from './messages.schemas.ts';

// The use cases: database work only. Every one checks membership first, so a stranger gets 404.

const toView = (message: MessageRecord): MessageView => ({
  id: String(message._id),
  roomId: String(message.room),
  authorId: String(message.author),
  clientId: message.clientId,
  text: message.text,
  createdAt: message.createdAt.toISOString(),
});

const isDuplicateKey = (error: unknown) => (error as { code?: unknown }).code === 11000;

/**
 * Stores a message once per (room, author, clientId): a retry of a send whose ack was lost
 * finds the unique index taken and gets the stored message back, with `created: false`, so
 * the caller broadcasts it only the first time.
 */
export async function sendMessage(principal: Principal, input: MessageInput): Promise<{ message: MessageView; created: boolean }> {
  await requireMember(principal, input.roomId);
  const key = { room: input.roomId, author: principal.id, clientId: input.clientId };
  try {
    const message = await Message.create({ ...key, text: input.text });
    return { message: toView(message.toObject()), created: true };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const stored = await Message.findOne(key).lean<MessageRecord>();
    if (!stored) throw error;
    return { message: toView(stored), created: false };
  }
}

/** A page of a room's messages, newest first, older than `before`; `nextBefore` continues it. */
export async function readHistory(
  principal: Principal,
  roomId: string,
  { before, limit = 50 }: { before?: string | undefined; limit?: number | undefined },
): Promise<HistoryPage> {
  await requireMember(principal, roomId);
  const filter = before ? { room: roomId, _id: { $lt: before } } : { room: roomId };
  const found = await Message.find(filter)
    .sort({ _id: -1 })
    .limit(limit + 1)
    .lean<MessageRecord[]>();
  const items = found.slice(0, limit).map(toView);
  return { items, nextBefore: found.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** What a reconnecting client missed: the messages after the last one it has, oldest first. */
export async function messagesAfter(
  principal: Principal,
  roomId: string,
  lastSeenId: string,
): Promise<{ items: MessageView[]; complete: boolean }> {
  await requireMember(principal, roomId);
  const found = await Message.find({ room: roomId, _id: { $gt: lastSeenId } })
    .sort({ _id: 1 })
    .limit(MAX_HISTORY + 1)
    .lean<MessageRecord[]>();
  return { items: found.slice(0, MAX_HISTORY).map(toView), complete: found.length <= MAX_HISTORY };
}
