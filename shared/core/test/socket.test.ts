import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { z } from 'zod';
import { AppError, createTokenService } from '../src/index.ts';
import { manualSocketTimers, socketAuth, socketEvents, socketRateLimit, type Ack } from '../src/socket.ts';

const tokens = createTokenService({ secret: 'socket-test-secret-of-32-characters!!', issuer: 'test', audience: 'test', ttlSeconds: 900 });
const otherIssuer = createTokenService({
  secret: 'another-secret-of-at-least-32-chars!!',
  issuer: 'test',
  audience: 'test',
  ttlSeconds: 900,
});

const clock = manualSocketTimers();
const io = new Server(createServer());
let url = '';
const clients: ClientSocket[] = [];

const Echo = z.strictObject({ text: z.string().max(5) });
io.use(socketAuth({ tokens, timers: clock.timers }));
io.on('connection', (socket) => {
  const limitQuery = (socket.handshake.auth as { limited?: boolean }).limited;
  const limit = limitQuery ? socketRateLimit({ points: 2, windowMs: 1_000, maxStrikes: 2, timers: clock.timers })() : undefined;
  const on = socketEvents(socket, { limit, timers: clock.timers });
  on('echo', Echo, ({ text }, principal) => ({ text, by: principal.id }));
  on('refuse', z.unknown(), () => {
    throw new AppError(409, 'taken', 'That is taken.');
  });
  on('crash', z.unknown(), () => {
    throw new Error('a secret cause');
  });
});

beforeAll(async () => {
  io.httpServer.listen(0, '127.0.0.1');
  await once(io.httpServer, 'listening');
  url = `http://127.0.0.1:${(io.httpServer.address() as AddressInfo).port}`;
});
beforeEach(() => clock.reset());
afterAll(async () => {
  for (const client of clients) client.disconnect();
  await io.close();
});

/** A client socket's next `event` (node's once() wants an EventEmitter). */
const onceFrom = (socket: ClientSocket, event: string) =>
  new Promise<unknown[]>((done) => socket.once(event, (...args: unknown[]) => done(args)));

const client = (auth: Record<string, unknown>) => {
  const socket = connect(url, { auth, transports: ['websocket'], reconnection: false });
  clients.push(socket);
  return socket;
};
const connected = async (auth: Record<string, unknown>) => {
  const socket = client(auth);
  await onceFrom(socket, 'connect');
  return socket;
};
const emit = (socket: ClientSocket, event: string, payload: unknown) => socket.emitWithAck(event, payload) as Promise<Ack>;
const aToken = (id = 'u1') => tokens.sign({ id, role: 'user' });

describe('socketAuth()', () => {
  test.each([
    ['no token', {}],
    ['an empty token', { token: '' }],
    ['a token that is not a string', { token: { $gt: '' } }],
    ['a garbage token', { token: 'not-a-jwt' }],
    ['a token signed with another secret', { token: otherIssuer.sign({ id: 'u1', role: 'user' }) }],
  ])('with %s, the client gets a connect_error whose data is a 401 problem', async (_case, auth) => {
    const [error] = (await onceFrom(client(auth), 'connect_error')) as [Error & { data: unknown }];

    expect(error.data).toEqual({ status: 401, code: 'unauthorized', detail: expect.any(String) });
  });

  test('with a valid token, connects and the handlers see its principal', async () => {
    const socket = await connected({ token: aToken('alice') });

    expect(await emit(socket, 'echo', { text: 'hi' })).toEqual({ ok: true, data: { text: 'hi', by: 'alice' } });
  });

  test('when the token expires, the server says session:expired and disconnects the socket', async () => {
    const socket = await connected({ token: aToken() });
    const expired = onceFrom(socket, 'session:expired');
    const gone = onceFrom(socket, 'disconnect');

    clock.advance(898_000);
    expect(socket.connected).toBe(true);
    clock.advance(2_000);

    expect((await expired)[0]).toMatchObject({ status: 401, code: 'token-expired' });
    expect((await gone)[0]).toBe('io server disconnect');
  });

  test('an event sent after expiry, before the timer ran, is refused as token-expired and the socket is disconnected', async () => {
    const socket = await connected({ token: aToken() });
    const gone = onceFrom(socket, 'disconnect');

    clock.move(900_000);
    const answer = await emit(socket, 'echo', { text: 'late' });

    expect(answer).toMatchObject({ ok: false, error: { status: 401, code: 'token-expired' } });
    await gone;
  });
});

describe('socketEvents()', () => {
  test.each([
    ['a missing field', {}, 'text'],
    ['a field of the wrong type', { text: 5 }, 'text'],
    ['a field that is too long', { text: 'toolong' }, 'text'],
    ['an unknown field', { text: 'a', extra: 1 }, '(payload)'],
    ['no payload at all', undefined, '(payload)'],
  ])('with %s, acks invalid-payload naming the field', async (_case, payload, field) => {
    const socket = await connected({ token: aToken() });

    const answer = await emit(socket, 'echo', payload);

    expect(answer).toMatchObject({ ok: false, error: { status: 400, code: 'invalid-payload' } });
    expect(!answer.ok && answer.error.fields?.map((f) => f.field)).toContain(field);
    expect(socket.connected).toBe(true);
  });

  test('an AppError the handler throws is acked with its status and code; anything else as a 500 that hides its cause', async () => {
    const socket = await connected({ token: aToken() });

    expect(await emit(socket, 'refuse', {})).toEqual({ ok: false, error: { status: 409, code: 'taken', detail: 'That is taken.' } });
    const crash = await emit(socket, 'crash', {});
    expect(crash).toEqual({ ok: false, error: { status: 500, code: 'internal', detail: 'The event could not be handled.' } });
    expect(JSON.stringify(crash)).not.toContain('secret');
    expect(socket.connected).toBe(true);
  });

  test('an event without an ack callback still runs and the socket stays up', async () => {
    const socket = await connected({ token: aToken() });

    socket.emit('crash', {});

    expect(await emit(socket, 'echo', { text: 'ok' })).toMatchObject({ ok: true });
  });
});

describe('socketRateLimit()', () => {
  test('over the limit, acks rate-limited with a retry delay; a repeat offender is disconnected; a new window allows again', async () => {
    const socket = await connected({ token: aToken(), limited: true });

    const answers = [
      await emit(socket, 'echo', { text: '1' }),
      await emit(socket, 'echo', { text: '2' }),
      await emit(socket, 'echo', { text: '3' }),
    ];
    clock.move(1_000);
    const nextWindow = await emit(socket, 'echo', { text: '4' });
    const gone = onceFrom(socket, 'disconnect');
    await emit(socket, 'echo', { text: '5' });
    const last = await emit(socket, 'echo', { text: '6' });

    expect(answers.map((answer) => answer.ok)).toEqual([true, true, false]);
    expect(answers[2]).toMatchObject({ ok: false, error: { status: 429, code: 'rate-limited', retryAfterMs: 1_000 } });
    expect(nextWindow.ok).toBe(true);
    expect(last).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
    expect((await gone)[0]).toBe('io server disconnect');
  });
});
