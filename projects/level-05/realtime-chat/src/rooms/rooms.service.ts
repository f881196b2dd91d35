import { notFound, User, type Principal } from '@hub/core';
import { Room, type RoomRecord } from './room.model.ts';
import type { MemberInput, RoomInput, RoomView } from './rooms.schemas.ts';

// The use cases: database work only, no req or res. Membership is always part of the filter.

/** The most rooms GET /rooms lists. */
export const MAX_ROOMS_LISTED = 100;

const toView = (room: RoomRecord): RoomView => ({
  id: String(room._id),
  name: room.name,
  ownerId: String(room.owner),
  memberIds: room.members.map(String),
  createdAt: room.createdAt.toISOString(),
});

/** The filter that finds a room only for its members: a stranger's query matches nothing. */
export const memberOf = (principal: Principal, roomId: string) => ({ _id: roomId, members: principal.id });

// A room you are not in and a room that does not exist get the same answer.
const noSuchRoom = (id: string) => notFound(`No room with id ${id}.`);

export async function createRoom(principal: Principal, input: RoomInput): Promise<RoomView> {
  const room = await Room.create({ name: input.name, owner: principal.id, members: [principal.id] });
  return toView(room.toObject());
}

export async function listRooms(principal: Principal): Promise<{ items: RoomView[] }> {
  const rooms = await Room.find({ members: principal.id }).sort({ createdAt: -1, _id: -1 }).limit(MAX_ROOMS_LISTED).lean<RoomRecord[]>();
  return { items: rooms.map(toView) };
}

/** 404 unless the caller is a member: the check every read and send of a room's messages makes. */
export async function requireMember(principal: Principal, roomId: string): Promise<void> {
  if (!(await Room.exists(memberOf(principal, roomId)))) throw noSuchRoom(roomId);
}

/** A member adds an account; adding one already there changes nothing ($addToSet). */
export async function addMember(principal: Principal, roomId: string, { userId }: MemberInput): Promise<RoomView> {
  if (!(await User.exists({ _id: userId }))) throw notFound(`No account with id ${userId}.`);
  const room = await Room.findOneAndUpdate(
    memberOf(principal, roomId),
    { $addToSet: { members: userId } },
    { returnDocument: 'after' },
  ).lean<RoomRecord>();
  if (!room) throw noSuchRoom(roomId);
  return toView(room);
}

/** The ids of the rooms an account is in: where its presence is announced. */
export async function roomIdsOf(userId: string): Promise<string[]> {
  const rooms = await Room.find({ members: userId }, { _id: 1 }).limit(MAX_ROOMS_LISTED).lean<Array<{ _id: unknown }>>();
  return rooms.map((room) => String(room._id));
}

/** A room's member ids, for a member; 404 for anyone else. */
export async function membersOf(principal: Principal, roomId: string): Promise<string[]> {
  const room = await Room.findOne(memberOf(principal, roomId), { members: 1 }).lean<Pick<RoomRecord, 'members'>>();
  if (!room) throw noSuchRoom(roomId);
  return room.members.map(String);
}
