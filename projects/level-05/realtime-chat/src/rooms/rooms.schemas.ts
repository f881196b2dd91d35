import { clientBody, IdParams, objectId } from '@hub/core';
import { z } from 'zod';

// Request schemas: what validate() accepts at the edge. Anything else is a 400 naming the field.

export const RoomId = IdParams;

/** POST /rooms. The caller becomes its owner and first member. */
export const RoomInput = clientBody(z.object({ name: z.string().trim().min(1).max(100).meta({ example: 'general' }) }));
export type RoomInput = z.output<typeof RoomInput>;

/** POST /rooms/:id/members: a member adds another account. */
export const MemberInput = clientBody(z.object({ userId: objectId.describe('the account to add') }));
export type MemberInput = z.output<typeof MemberInput>;

// Response schemas: what the API promises to send back (they also write the OpenAPI document).

export const RoomView = z
  .object({
    id: z.string(),
    name: z.string(),
    ownerId: z.string(),
    memberIds: z.array(z.string()),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Room' });
export type RoomView = z.infer<typeof RoomView>;

export const RoomList = z.object({ items: z.array(RoomView) }).meta({ id: 'RoomList' });
