// Exercise 1: GET /rooms/:id/messages?after=<id>, the history paged forwards.
import { beforeAll, describe, expect, test } from '@jest/globals';
import { useTestDatabase, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { Message } from '../src/messages/message.model.ts';
import { accounts, aRoom, useChat } from '../test/support.ts';

useTestDatabase();
const chat = useChat();
let app: Express;
let alice: TestAccount;
let roomId: string;
let ids: string[];

beforeAll(async () => {
  app = chat.app;
  [alice] = await accounts(app, 1);
  roomId = await aRoom(app, alice);
  const stored = await Message.insertMany(
    Array.from({ length: 5 }, (_, n) => ({ room: roomId, author: alice.user.id, clientId: `c${n}`, text: `m${n}` })),
  );
  ids = stored.map((message) => String(message._id));
});

const texts = (response: request.Response) => (response.body.items as Array<{ text: string }>).map((message) => message.text);

describe('GET /rooms/:id/messages?after=', () => {
  test('answers the messages newer than the cursor, oldest first, at most limit', async () => {
    const response = await request(app).get(`/rooms/${roomId}/messages`).set(alice.auth).query({ after: ids[1], limit: 2 });

    expect(response.status).toBe(200);
    expect(texts(response)).toEqual(['m2', 'm3']);
  });

  test('after the newest message, the page is empty', async () => {
    const response = await request(app).get(`/rooms/${roomId}/messages`).set(alice.auth).query({ after: ids[4] });

    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([]);
  });

  test('before and after together are a 400', async () => {
    const response = await request(app).get(`/rooms/${roomId}/messages`).set(alice.auth).query({ after: ids[1], before: ids[3] });

    expect(response.status).toBe(400);
  });
});
