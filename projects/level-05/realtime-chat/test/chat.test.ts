import { beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { useTestDatabase, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { Message } from '../src/messages/message.model.ts';
import { MAX_MESSAGE_BYTES } from '../src/messages/messages.schemas.ts';
import { runClient } from '../src/client.ts';
import { onceFrom, accounts, aMessage, aRoom, emit, next, ok, unusedId, useChat } from './support.ts';

useTestDatabase();
// A small rate limit, so that going over it takes a few events.
const chat = useChat({ CHAT_RATE_POINTS: '5', CHAT_RATE_WINDOW_MS: '1000', CHAT_RATE_MAX_STRIKES: '3', CHAT_PRESENCE_GRACE_MS: '5000' });
let app: Express;
let url: string;
let alice: TestAccount;
let bob: TestAccount;
let carol: TestAccount;
let roomId: string;

beforeAll(async () => {
  ({ url, app } = await chat.instance());
  [alice, bob, carol] = await accounts(app, 3);
  roomId = await aRoom(app, alice, [bob]);
});
beforeEach(() => chat.clock.reset());

type Stored = { id: string; text: string; clientId: string; authorId: string };

describe('the handshake', () => {
  test.each([
    ['no token', undefined],
    ['a garbage token', 'not-a-jwt'],
  ])('with %s, the client gets a connect_error with a 401 problem as its data', async (_case, token) => {
    const [error] = (await onceFrom(chat.client(url, token), 'connect_error')) as [Error & { data: unknown }];

    expect(error.data).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  test('the socket is disconnected when its token expires, after being told session:expired', async () => {
    const socket = await chat.connected(url, alice);
    const told = next(socket, 'session:expired');
    const gone = onceFrom(socket, 'disconnect');

    chat.clock.advance(chat.config().JWT_ACCESS_TTL_SECONDS * 1000 + 1_000);

    expect(await told).toMatchObject({ code: 'token-expired' });
    expect((await gone)[0]).toBe('io server disconnect');
  });
});

describe('rooms and messages', () => {
  test('a member joins and sends; every joined socket gets message:new, and the ack is the stored message', async () => {
    const [sender, receiver] = await Promise.all([chat.connected(url, alice), chat.connected(url, bob)]);
    await ok(emit(sender, 'room:join', { roomId }));
    await ok(emit(receiver, 'room:join', { roomId }));
    const arriving = next<Stored>(receiver, 'message:new');

    const sent = await ok(emit<Stored>(sender, 'message:send', aMessage(roomId, { text: '  hi bob ' })));

    expect(sent).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{24}$/), roomId, authorId: alice.user.id, text: 'hi bob' });
    expect(await arriving).toEqual(sent);
    expect(await Message.findById(sent.id).lean()).toMatchObject({ text: 'hi bob' });
  });

  test('a non-member can neither join, read history nor send: each is a 404 ack, and nothing is stored', async () => {
    const stranger = await chat.connected(url, carol);
    const before = await Message.countDocuments({ room: roomId });

    const answers = await Promise.all([
      emit(stranger, 'room:join', { roomId }),
      emit(stranger, 'history', { roomId }),
      emit(stranger, 'message:send', aMessage(roomId)),
      emit(stranger, 'presence', { roomId }),
      emit(stranger, 'typing', { roomId, typing: true }),
    ]);

    for (const answer of answers) expect(answer).toMatchObject({ ok: false, error: { status: 404, code: 'not-found' } });
    expect(await Message.countDocuments({ room: roomId })).toBe(before);
  });

  test('a retry with the same client id stores one message, acks the same id, and is not broadcast twice', async () => {
    const [sender, receiver] = await Promise.all([chat.connected(url, alice), chat.connected(url, bob)]);
    await ok(emit(receiver, 'room:join', { roomId }));
    const message = aMessage(roomId);
    const received: Stored[] = [];
    receiver.on('message:new', (stored: Stored) => received.push(stored));

    const answers = await Promise.all([1, 2, 3].map(() => ok(emit<Stored>(sender, 'message:send', message))));
    const after = await ok(emit<Stored>(sender, 'message:send', aMessage(roomId)));
    await next(receiver, 'message:new', 300);

    expect(new Set(answers.map((answer) => answer.id)).size).toBe(1);
    expect(await Message.countDocuments({ room: roomId, clientId: message.clientId })).toBe(1);
    expect(received.map((stored) => stored.id)).toEqual([answers[0]?.id, after.id]);
  });

  test('history pages newest first with a before-cursor, over the socket too', async () => {
    const room = await aRoom(app, alice);
    const socket = await chat.connected(url, alice);
    for (const text of ['one', 'two', 'three']) await ok(emit(socket, 'message:send', aMessage(room, { text })));

    const first = await ok(emit<{ items: Stored[]; nextBefore: string }>(socket, 'history', { roomId: room, limit: 2 }));
    const rest = await ok(
      emit<{ items: Stored[]; nextBefore: null }>(socket, 'history', { roomId: room, limit: 2, before: first.nextBefore }),
    );

    expect(first.items.map((message) => message.text)).toEqual(['three', 'two']);
    expect(rest.items.map((message) => message.text)).toEqual(['one']);
    expect(rest.nextBefore).toBeNull();
  });

  test('a client that was offline gets what it missed when it joins again with its last seen id, and nothing it had', async () => {
    const room = await aRoom(app, alice, [bob]);
    const sender = await chat.connected(url, alice);
    const seen = await ok(emit<Stored>(sender, 'message:send', aMessage(room, { text: 'seen' })));
    const missed = [];
    for (const text of ['missed 1', 'missed 2']) missed.push(await ok(emit<Stored>(sender, 'message:send', aMessage(room, { text }))));

    const back = await chat.connected(url, bob);
    const joined = await ok(emit<{ missed: Stored[]; complete: boolean }>(back, 'room:join', { roomId: room, lastSeenId: seen.id }));

    expect(joined.missed.map((message) => message.id)).toEqual(missed.map((message) => message.id));
    expect(joined.complete).toBe(true);
  });
});

describe('bad input is a typed error ack, never a crash', () => {
  test.each<[string, string, unknown, string]>([
    ['a message over 4 KB', 'message:send', { text: 'é'.repeat(MAX_MESSAGE_BYTES / 2 + 1) }, 'text'],
    ['an empty message', 'message:send', { text: '   ' }, 'text'],
    ['a message without a client id', 'message:send', { clientId: undefined }, 'clientId'],
    ['a room id that is not an id', 'message:send', { roomId: 'general' }, 'roomId'],
    ['a text that is an object', 'message:send', { text: { $gt: '' } }, 'text'],
    ['an unknown field', 'message:send', { html: '<b>' }, '(payload)'],
    ['a history limit over 100', 'history', { limit: 101 }, 'limit'],
    ['a typing flag that is not a boolean', 'typing', { typing: 'yes' }, 'typing'],
  ])('%s: invalid-payload naming the field, nothing stored, the socket still connected', async (_case, event, change, field) => {
    const socket = await chat.connected(url, alice);
    const before = await Message.countDocuments();
    const payload = {
      ...(event === 'message:send' ? aMessage(roomId) : event === 'typing' ? { roomId, typing: true } : { roomId }),
      ...(change as object),
    };

    const answer = await emit(socket, event, payload);

    expect(answer).toMatchObject({ ok: false, error: { status: 400, code: 'invalid-payload' } });
    expect(!answer.ok && answer.error.fields?.map((f) => f.field)).toContain(field);
    expect(await Message.countDocuments()).toBe(before);
    expect(socket.connected).toBe(true);
  });

  test('a frame over maxHttpBufferSize closes the connection before any handler runs', async () => {
    const socket = await chat.connected(url, alice);
    const before = await Message.countDocuments();
    const gone = onceFrom(socket, 'disconnect');

    socket.emit('message:send', aMessage(roomId, { text: 'x'.repeat(20_000) }));

    expect((await gone)[0]).toBe('transport close');
    expect(await Message.countDocuments()).toBe(before);
  });

  test('joining a room that does not exist is a 404 ack', async () => {
    const socket = await chat.connected(url, alice);

    expect(await emit(socket, 'room:join', { roomId: unusedId() })).toMatchObject({ ok: false, error: { status: 404 } });
  });
});

describe('the per-socket rate limit', () => {
  test('over the limit, the ack says rate-limited; a socket that keeps going is disconnected', async () => {
    const socket = await chat.connected(url, alice);
    const gone = onceFrom(socket, 'disconnect');

    const answers = [];
    for (let n = 0; n < 8; n += 1) answers.push(await emit(socket, 'history', { roomId }));

    expect(answers.slice(0, 5).every((answer) => answer.ok)).toBe(true);
    expect(answers[5]).toMatchObject({ ok: false, error: { status: 429, code: 'rate-limited' } });
    expect((await gone)[0]).toBe('io server disconnect');
  });

  test('each socket has its own limit: a second tab of the same user is not slowed by the first', async () => {
    const [first, second] = await Promise.all([chat.connected(url, bob), chat.connected(url, bob)]);
    for (let n = 0; n < 6; n += 1) await emit(first, 'history', { roomId });

    expect(await emit(second, 'history', { roomId })).toMatchObject({ ok: true });
  });
});

describe('typing and presence', () => {
  test('typing reaches the other joined sockets, not the typist; typing before joining is refused', async () => {
    const room = await aRoom(app, alice, [bob]);
    const [typist, watcher] = await Promise.all([chat.connected(url, alice), chat.connected(url, bob)]);
    const early = await emit(typist, 'typing', { roomId: room, typing: true });
    await ok(emit(typist, 'room:join', { roomId: room }));
    await ok(emit(watcher, 'room:join', { roomId: room }));
    const seen = next(watcher, 'typing');
    const echoed = next(typist, 'typing', 300);

    await ok(emit(typist, 'typing', { roomId: room, typing: true }));

    expect(early).toMatchObject({ ok: false, error: { status: 404 } });
    expect(await seen).toEqual({ roomId: room, userId: alice.user.id, typing: true });
    expect(await echoed).toBeNull();
  });

  test('a user is online while any tab is open, stays online through the grace period, then goes offline once', async () => {
    const [dave, erin] = await accounts(app, 2);
    const room = await aRoom(app, dave, [erin]);
    const watcher = await chat.connected(url, erin);
    await ok(emit(watcher, 'room:join', { roomId: room }));
    const onlineOf = async () => (await ok(emit<{ online: string[] }>(watcher, 'presence', { roomId: room }))).online;
    const announcements: Array<{ userId: string; online: boolean }> = [];
    watcher.on('presence', (change: { userId: string; online: boolean }) => change.userId === dave.user.id && announcements.push(change));

    const cameOnline = presenceOf(watcher, dave.user.id);
    const tabs = await Promise.all([chat.connected(url, dave), chat.connected(url, dave)]);
    await cameOnline;
    tabs[0]?.disconnect();
    await waitFor(async () => (await chat.redis.scard(`${chat.config().CHAT_CHANNEL}:presence:${dave.user.id}`)) === 1);
    const withOneTab = await onlineOf();
    tabs[1]?.disconnect();
    await waitFor(async () => (await chat.redis.scard(`${chat.config().CHAT_CHANNEL}:presence:${dave.user.id}`)) === 0);
    chat.clock.advance(4_000);
    const inGrace = await onlineOf();
    const wentOffline = presenceOf(watcher, dave.user.id);
    chat.clock.advance(1_000);
    await wentOffline;

    expect(withOneTab).toContain(dave.user.id);
    expect(inGrace).toContain(dave.user.id);
    expect(await onlineOf()).not.toContain(dave.user.id);
    expect(announcements).toEqual([
      { userId: dave.user.id, online: true },
      { userId: dave.user.id, online: false },
    ]);
  });

  test('a reload within the grace period announces nothing', async () => {
    const [frank, gina] = await accounts(app, 2);
    const room = await aRoom(app, frank, [gina]);
    const watcher = await chat.connected(url, gina);
    await ok(emit(watcher, 'room:join', { roomId: room }));
    const cameOnline = presenceOf(watcher, frank.user.id);
    const tab = await chat.connected(url, frank);
    await cameOnline;
    const changes: unknown[] = [];
    watcher.on('presence', (change: { userId: string }) => change.userId === frank.user.id && changes.push(change));

    tab.disconnect();
    await waitFor(async () => (await chat.redis.scard(`${chat.config().CHAT_CHANNEL}:presence:${frank.user.id}`)) === 0);
    await chat.connected(url, frank);
    chat.clock.advance(5_000);
    await next(watcher, 'presence', 300);

    expect(changes).toEqual([]);
  });
});

describe('two instances on one Redis', () => {
  test('a message sent through one instance reaches a member connected to the other, and typing too', async () => {
    const other = await chat.instance();
    const room = await aRoom(app, alice, [bob]);
    const [sender, receiver] = await Promise.all([chat.connected(url, alice), chat.connected(other.url, bob)]);
    await ok(emit(sender, 'room:join', { roomId: room }));
    await ok(emit(receiver, 'room:join', { roomId: room }));
    const arriving = next<Stored>(receiver, 'message:new');
    const typing = next(sender, 'typing');

    const sent = await ok(emit<Stored>(sender, 'message:send', aMessage(room)));
    await ok(emit(receiver, 'typing', { roomId: room, typing: true }));

    expect(await arriving).toEqual(sent);
    expect(await typing).toEqual({ roomId: room, userId: bob.user.id, typing: true });
  });
});

/** The next presence change of this user (the watcher's own may come first). */
const presenceOf = (socket: ClientSocket, userId: string) =>
  new Promise<{ userId: string; online: boolean }>((done) => {
    const take = (change: { userId: string; online: boolean }) => {
      if (change.userId !== userId) return;
      socket.off('presence', take);
      done(change);
    };
    socket.on('presence', take);
  });

/** Polls a condition a few ms apart (for Redis writes that follow a disconnect), failing after 2 s. */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    if (await condition()) return;
    await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error('waitFor: the condition never held');
}

describe('the scripted client (pnpm client)', () => {
  test('logs in, joins, sends and prints each ack; a member on the socket gets its message', async () => {
    const watcher = await chat.connected(url, bob);
    await ok(emit(watcher, 'room:join', { roomId }));
    const arriving = next<Stored>(watcher, 'message:new');
    const lines: string[] = [];

    await runClient({ url, email: alice.email, password: alice.password, room: roomId, text: 'from the script' }, (line) =>
      lines.push(line),
    );

    expect(lines.map((line) => line.split(' → ')[0])).toEqual(['room:join', 'message:send', 'history']);
    expect(lines.every((line) => line.includes('"ok":true'))).toBe(true);
    expect(await arriving).toMatchObject({ text: 'from the script', authorId: alice.user.id });
  });

  test('a wrong password is an error, not a hang', async () => {
    await expect(runClient({ url, email: alice.email, password: 'wrong-password', room: roomId }, () => {})).rejects.toThrow(
      /login answered 401/,
    );
  });
});

describe('stopping an instance', () => {
  test("close() cuts its own sockets at once (the client sees transport close, and would reconnect elsewhere) and leaves the other instance's alone", async () => {
    const other = await chat.instance();
    const eager = connect(other.url, { auth: { token: alice.token }, transports: ['websocket'], forceNew: true, reconnection: false });
    const bystander = await chat.connected(url, bob);
    await onceFrom(eager, 'connect');
    const gone = onceFrom(eager, 'disconnect');

    await other.chat.close();

    expect((await gone)[0]).toBe('transport close');
    expect(other.chat.io.engine.clientsCount).toBe(0);
    expect(await emit(bystander, 'history', { roomId })).toMatchObject({ ok: true });
    expect(bystander.connected).toBe(true);
  });
});
