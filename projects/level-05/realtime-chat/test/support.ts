// What this service's tests share: the app on this file's database and Redis, chat instances
// listening on it with a clock the test moves, socket clients, and valid bodies.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import { manualSocketTimers, type Ack } from '@hub/core/socket';
import { signUp, testConfig, useTestRedis, type TestAccount } from '@hub/testkit';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import request from 'supertest';
import { accountsOf, buildApp, type AppDeps } from '../src/app.ts';
import { attachChat, type Chat } from '../src/chat/chat.ts';
import { serviceConfig } from '../src/config.ts';

export const testServiceConfig = (env: Record<string, string> = {}) => testConfig(serviceConfig, env);

/**
 * The service's REST app and its chat, as server.ts wires them, on this file's database and
 * Redis (its own channel prefix). Call after useTestDatabase(). `instance()` starts one more
 * listening instance on the same ones; every instance shares one manual clock.
 */
export function useChat(env: Record<string, string> = {}) {
  const testRedis = useTestRedis();
  const clock = manualSocketTimers();
  const config = () => testServiceConfig({ CHAT_CHANNEL: `${testRedis.prefix}chat`, ...env });
  const running: Array<{ chat: Chat; close: () => Promise<void> }> = [];
  const clients: ClientSocket[] = [];

  const build = (overrides: Partial<AppDeps> = {}): Express =>
    buildApp({ config: config(), db: mongoose.connection, redis: testRedis.redis, ...overrides });
  let app: Express | undefined;
  beforeAll(() => {
    app = build();
  });

  async function instance(): Promise<{ url: string; chat: Chat; app: Express }> {
    const built = build();
    const server = createServer(built);
    const chat = attachChat(server, {
      config: config(),
      redis: testRedis.redis,
      tokens: accountsOf(config()).tokens,
      timers: clock.timers,
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const close = async () => {
      // Stop accepting first: a browser's client reconnects as soon as its socket is closed.
      const closed = new Promise((done) => server.close(done));
      await chat.close();
      server.closeAllConnections();
      await closed;
    };
    running.push({ chat, close });
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, chat, app: built };
  }

  /** A socket.io client with this token; not connected until the handshake answers. */
  const client = (url: string, token: unknown): ClientSocket => {
    const socket = connect(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    clients.push(socket);
    return socket;
  };

  const connected = async (url: string, account: TestAccount): Promise<ClientSocket> => {
    const socket = client(url, account.token);
    await onceFrom(socket, 'connect');
    return socket;
  };

  afterAll(async () => {
    for (const socket of clients) socket.disconnect();
    await Promise.all(running.map(({ close }) => close()));
  });

  return {
    /** The REST app (no socket.io), from beforeAll on. */
    get app(): Express {
      if (!app) throw new Error('useChat(): the app exists from beforeAll on');
      return app;
    },
    build,
    instance,
    client,
    connected,
    clock,
    config,
    get redis() {
      return testRedis.redis;
    },
  };
}

/** The arguments of a client socket's next `event` (node's once() wants an EventEmitter). */
export const onceFrom = (socket: ClientSocket, event: string) =>
  new Promise<unknown[]>((done) => socket.once(event, (...args: unknown[]) => done(args)));

/** An event and its ack, typed. */
export const emit = <T = Record<string, unknown>>(socket: ClientSocket, event: string, payload?: unknown) =>
  socket.emitWithAck(event, payload) as Promise<Ack<T>>;

/** The data of an ok ack, or a thrown error saying what came back. */
export async function ok<T = Record<string, unknown>>(answer: Promise<Ack<T>>): Promise<T> {
  const settled = await answer;
  if (!settled.ok) throw new Error(`expected an ok ack, got ${JSON.stringify(settled.error)}`);
  return settled.data;
}

/** The next `event` the socket receives, or null if none comes within `ms` (for "nothing arrives" checks). */
export const next = <T>(socket: ClientSocket, event: string, ms = 2_000) =>
  new Promise<T | null>((done) => {
    const timer = setTimeout(() => {
      socket.off(event, take);
      done(null);
    }, ms);
    const take = (value: T) => {
      clearTimeout(timer);
      done(value);
    };
    socket.once(event, take);
  });

export const unique = (prefix = 'room') => `${prefix}-${randomUUID().slice(0, 8)}`;

/** POST /rooms as `owner`, then adds `members`: the room's id. */
export async function aRoom(app: Express, owner: TestAccount, members: TestAccount[] = []): Promise<string> {
  const created = await request(app).post('/rooms').set(owner.auth).send({ name: unique() });
  if (created.status !== 201) throw new Error(`aRoom: POST /rooms answered ${created.status}`);
  for (const member of members) {
    const added = await request(app).post(`/rooms/${created.body.id}/members`).set(owner.auth).send({ userId: member.user.id });
    if (added.status !== 200) throw new Error(`aRoom: adding a member answered ${added.status}`);
  }
  return created.body.id as string;
}

type Tuple<N extends number, T, R extends T[] = []> = R['length'] extends N ? R : Tuple<N, T, [...R, T]>;

/** `count` new accounts, signed up through the API. */
export const accounts = <N extends 1 | 2 | 3>(app: Express, count: N) =>
  Promise.all(Array.from({ length: count }, () => signUp(app))) as Promise<Tuple<N, TestAccount>>;

/** A valid message:send payload. */
export const aMessage = (roomId: string, overrides: Record<string, unknown> = {}) => ({
  roomId,
  clientId: randomUUID(),
  text: unique('hello'),
  ...overrides,
});

export const unusedId = () => new mongoose.Types.ObjectId().toHexString();
