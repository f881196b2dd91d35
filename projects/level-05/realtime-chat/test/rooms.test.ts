import { beforeAll, describe, expect, test } from '@jest/globals';
import { BAD_PAGE_QUERIES, expectFieldProblem, useTestDatabase, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import request from 'supertest';
import { Message } from '../src/messages/message.model.ts';
import { Room } from '../src/rooms/room.model.ts';
import { accounts, aRoom, unusedId, useChat } from './support.ts';

useTestDatabase();
const chat = useChat();
let app: Express;
let alice: TestAccount;
let bob: TestAccount;
let carol: TestAccount;

beforeAll(async () => {
  app = chat.app;
  [alice, bob, carol] = await accounts(app, 3);
});

describe('POST /rooms', () => {
  test('creates a room owned by the caller, who is its only member', async () => {
    const response = await request(app).post('/rooms').set(alice.auth).send({ name: '  general ' });

    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/rooms/${response.body.id}`);
    expect(response.body).toEqual({
      id: expect.any(String),
      name: 'general',
      ownerId: alice.user.id,
      memberIds: [alice.user.id],
      createdAt: expect.any(String),
    });
    expect((await Room.findById(response.body.id).lean())?.members.map(String)).toEqual([alice.user.id]);
  });

  test.each<[string, unknown, string]>([
    ['the name is missing', {}, 'name'],
    ['the name is blank', { name: '  ' }, 'name'],
    ['the name is over 100 characters', { name: 'x'.repeat(101) }, 'name'],
    ['the name is an operator object', { name: { $gt: '' } }, 'name'],
    ['an unknown field is sent', { name: 'n', topic: 'x' }, 'topic'],
  ])('when %s, answers 400 naming the field and stores nothing', async (_case, body, field) => {
    const before = await Room.countDocuments();

    expectFieldProblem(
      await request(app)
        .post('/rooms')
        .set(alice.auth)
        .send(body as object),
      'body',
      field,
    );
    expect(await Room.countDocuments()).toBe(before);
  });

  test('members in the body are ignored: only the caller is a member', async () => {
    const response = await request(app).post('/rooms').set(alice.auth).send({ name: 'n', owner: bob.user.id });

    expect(response.status).toBe(201);
    expect(response.body.memberIds).toEqual([alice.user.id]);
  });
});

describe('POST /rooms/:id/members', () => {
  test('a member adds an account, once however often it is added; GET /rooms lists the room for it', async () => {
    const roomId = await aRoom(app, alice);

    const first = await request(app).post(`/rooms/${roomId}/members`).set(alice.auth).send({ userId: bob.user.id });
    const again = await request(app).post(`/rooms/${roomId}/members`).set(alice.auth).send({ userId: bob.user.id });
    const bobsRooms = await request(app).get('/rooms').set(bob.auth);

    expect(first.status).toBe(200);
    expect(again.body.memberIds).toEqual([alice.user.id, bob.user.id]);
    expect(bobsRooms.body.items.map((room: { id: string }) => room.id)).toContain(roomId);
  });

  test('a non-member cannot add anyone (404, like a missing room), and an unknown account is 404', async () => {
    const roomId = await aRoom(app, alice);

    const stranger = await request(app).post(`/rooms/${roomId}/members`).set(carol.auth).send({ userId: carol.user.id });
    const missing = await request(app).post(`/rooms/${unusedId()}/members`).set(carol.auth).send({ userId: carol.user.id });
    const nobody = await request(app).post(`/rooms/${roomId}/members`).set(alice.auth).send({ userId: unusedId() });

    expect(stranger.status).toBe(404);
    expect(stranger.body.title).toBe(missing.body.title);
    expect(nobody.status).toBe(404);
    expect((await Room.findById(roomId).lean())?.members.map(String)).toEqual([alice.user.id]);
  });

  test('a userId that is not an ObjectId is a 400 naming it', async () => {
    const roomId = await aRoom(app, alice);

    expectFieldProblem(await request(app).post(`/rooms/${roomId}/members`).set(alice.auth).send({ userId: 'bob' }), 'body', 'userId');
  });
});

describe('GET /rooms/:id/messages', () => {
  async function roomWith(count: number) {
    const roomId = await aRoom(app, alice);
    await Message.insertMany(
      Array.from({ length: count }, (_, n) => ({ room: roomId, author: alice.user.id, clientId: `c${n}`, text: `m${n}` })),
    );
    return roomId;
  }
  const texts = (response: request.Response) => (response.body.items as Array<{ text: string }>).map((message) => message.text);

  test('pages newest first with a before-cursor until nextBefore is null', async () => {
    const roomId = await roomWith(5);

    const first = await request(app).get(`/rooms/${roomId}/messages`).set(alice.auth).query({ limit: 2 });
    const second = await request(app).get(`/rooms/${roomId}/messages`).set(alice.auth).query({ limit: 2, before: first.body.nextBefore });
    const last = await request(app).get(`/rooms/${roomId}/messages`).set(alice.auth).query({ limit: 2, before: second.body.nextBefore });

    expect(first.status).toBe(200);
    expect(texts(first)).toEqual(['m4', 'm3']);
    expect(texts(second)).toEqual(['m2', 'm1']);
    expect(texts(last)).toEqual(['m0']);
    expect(last.body.nextBefore).toBeNull();
  });

  test('a non-member reads nothing: 404, like a missing room', async () => {
    const roomId = await roomWith(1);

    const response = await request(app).get(`/rooms/${roomId}/messages`).set(carol.auth);

    expect(response.status).toBe(404);
    expect(response.body).not.toHaveProperty('items');
  });

  test.each([
    ...BAD_PAGE_QUERIES.filter(([, query]) => 'limit' in query),
    ['limit over 100', { limit: '101' }, 'limit'],
    ['a before that is not an id', { before: 'yesterday' }, 'before'],
    ['an unknown parameter', { after: unusedId() }, 'after'],
  ] as Array<[string, Record<string, string>, string]>)(
    'when the query has %s, answers 400 naming the field',
    async (_case, query, field) => {
      const roomId = await aRoom(app, alice);

      expectFieldProblem(await request(app).get(`/rooms/${roomId}/messages`).set(alice.auth).query(query), 'query', field);
    },
  );
});

describe('without a valid token', () => {
  test.each([
    ['POST /rooms', () => request(app).post('/rooms').send({ name: 'n' })],
    ['GET /rooms', () => request(app).get('/rooms')],
    ['GET /rooms/:id/messages', () => request(app).get(`/rooms/${unusedId()}/messages`)],
  ])('%s answers 401 problem+json', async (_route, send) => {
    const response = await send().set('Authorization', 'Bearer not-a-jwt');

    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('the browser client', () => {
  test('GET / is the page, loading the socket.io client from this service, not a CDN', async () => {
    const page = await request(app).get('/');
    const client = await request(app).get('/vendor/socket.io.js');

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<script src="/vendor/socket.io.js">');
    expect(page.text).not.toMatch(/https?:\/\//);
    expect(client.headers['content-type']).toMatch(/javascript/);
    expect(client.text).toContain('Socket.IO');
  });
});
