import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Request, Response } from 'express';
import { HistoryPage, HistoryQuery } from '../messages/messages.schemas.ts';
import { readHistory } from '../messages/messages.service.ts';
import type { AppAccess } from '../permissions.ts';
import { MemberInput, RoomId, RoomInput, RoomList, RoomView } from './rooms.schemas.ts';
import { addMember, createRoom, listRooms } from './rooms.service.ts';

const creating = { body: RoomInput };
const adding = { params: RoomId, body: MemberInput };
const history = { params: RoomId, query: HistoryQuery };

/** The /rooms routes: create, list mine, add a member, read a room's history (members only). */
export function roomsRoutes({ access }: { access: AppAccess }): ApiRouter {
  return new ApiRouter('rooms')
    .post(
      '/',
      { summary: 'Create a room; the caller is its first member', responses: { 201: RoomView } },
      validate(creating),
      access.authenticate(),
      access.authorize('rooms:write'),
      create,
    )
    .get(
      '/',
      { summary: 'The rooms I am a member of, newest first', responses: { 200: RoomList } },
      access.authenticate(),
      access.authorize('rooms:read'),
      list,
    )
    .post(
      '/:id/members',
      { summary: 'Add an account to a room I am in', responses: { 200: RoomView } },
      validate(adding),
      access.authenticate(),
      access.authorize('rooms:write'),
      add,
    )
    .get(
      '/:id/messages',
      { summary: "A room's messages, newest first, before a cursor", responses: { 200: HistoryPage } },
      validate(history),
      access.authenticate(),
      access.authorize('rooms:read'),
      readPage,
    );
}

async function create(req: ValidRequest<typeof creating>, res: Response) {
  const room = await createRoom(principalOf(req), req.body);
  res.status(201).location(`${req.baseUrl}/${room.id}`).json(room);
}

async function list(req: Request, res: Response) {
  res.json(await listRooms(principalOf(req)));
}

async function add(req: ValidRequest<typeof adding>, res: Response) {
  res.json(await addMember(principalOf(req), req.params.id, req.body));
}

async function readPage(req: ValidRequest<typeof history>, res: Response) {
  res.json(await readHistory(principalOf(req), req.params.id, req.query));
}
