// What this service's tests share: the app on this file's database, Redis keys and SMTP server; valid bodies.
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createMailer, type Mailer } from '@hub/core';
import { testConfig, useTestDatabase, useTestRedis, useTestSmtp, type TestAccount } from '@hub/testkit';
import { afterAll, beforeAll, expect } from '@jest/globals';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildApp } from '../src/app.ts';
import { serviceConfig, type ServiceConfig } from '../src/config.ts';
import { Delivery } from '../src/deliveries/delivery.model.ts';

export interface TestApp {
  readonly app: Express;
  readonly config: ServiceConfig;
  readonly smtp: ReturnType<typeof useTestSmtp>;
  /** Another app on the same database and Redis: other config keys, or a mailer pointed at another SMTP URL. */
  build(options?: { env?: Record<string, string>; smtpUrl?: string }): Express;
}

/**
 * Registers this file's database, Redis keys and in-process SMTP server, and builds the app on
 * them once they run (beforeAll). `env` overrides config keys.
 */
export function testApp({ env = {} }: { env?: Record<string, string> } = {}): TestApp {
  useTestDatabase();
  const redis = useTestRedis();
  const smtp = useTestSmtp();
  const mailers: Mailer[] = [];
  let built: { app: Express; config: ServiceConfig } | undefined;
  const build = ({ env: more = {}, smtpUrl }: { env?: Record<string, string>; smtpUrl?: string } = {}) => {
    const config = testConfig(serviceConfig, { SMTP_URL: smtpUrl ?? smtp.url, ...env, ...more });
    const mailer = createMailer(config);
    mailers.push(mailer);
    return { app: buildApp({ config, db: mongoose.connection, redis: redis.redis, mailer }), config };
  };
  beforeAll(() => {
    built = build();
  });
  afterAll(async () => {
    await Promise.all(mailers.map((mailer) => mailer.close()));
  });
  const ready = () => {
    if (!built) throw new Error('testApp(): the app exists from beforeAll on');
    return built;
  };
  return {
    get app() {
      return ready().app;
    },
    get config() {
      return ready().config;
    },
    smtp,
    build: (options) => build(options).app,
  };
}

export const unique = (prefix = 'to') => `${prefix}-${randomUUID().slice(0, 8)}@example.com`;

/** Valid variables for each template; override any. */
export const welcomeVariables = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ada Lovelace',
  loginUrl: 'https://app.example.com/login',
  ...overrides,
});
export const receiptVariables = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ada Lovelace',
  orderId: 'A-1042',
  currency: 'EUR',
  items: [
    { description: 'Blue mug', quantity: 2, unitPriceCents: 1250 },
    { description: 'Tea', quantity: 1, unitPriceCents: 499 },
  ],
  receiptUrl: 'https://app.example.com/orders/A-1042',
  ...overrides,
});
export const passwordChangedVariables = (overrides: Record<string, unknown> = {}) => ({
  name: 'Ada Lovelace',
  changedAt: '2030-01-01T12:00:00Z',
  resetUrl: 'https://app.example.com/forgot-password',
  ...overrides,
});

/** A valid POST /deliveries body: the welcome mail to a fresh address; override any field. */
export const aDelivery = (overrides: Record<string, unknown> = {}) => ({
  template: 'welcome',
  to: unique(),
  variables: welcomeVariables(),
  ...overrides,
});

export const send = (app: Express, account: TestAccount, body: Record<string, unknown>) =>
  request(app).post('/deliveries').set(account.auth).send(body);

/** The links in a mail part (text, or the href values of HTML). */
export const linksIn = (part: string | undefined) => (part ?? '').match(/https?:\/\/[^\s"<]+/g) ?? [];

/** The stored delivery, read straight from the collection (not through the API under test). */
export const storedDelivery = (id: string) => Delivery.findById(id).lean();
export const deliveriesOf = (account: TestAccount) => Delivery.find({ owner: account.user.id }).lean();

/** The answer is problem+json with this status and type, naming these fields. */
export function expectProblem(response: request.Response, status: number, type: string, fields: string[] = []) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.type).toBe(`urn:backend-hub:problem:${type}`);
  if (fields.length > 0)
    expect((response.body.errors as Array<{ field: string }>).map((error) => error.field).sort()).toEqual([...fields].sort());
}

/**
 * A minimal SMTP server on a loopback port that keeps each message as the raw bytes that crossed
 * the wire (the test kit's catcher gives the parsed parts only). With `rejectRecipients`, it
 * answers every RCPT TO with that reply instead, as a real server does for a mailbox that does
 * not exist.
 */
export async function rawSmtp({ rejectRecipients }: { rejectRecipients?: string } = {}) {
  const messages: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.write('220 raw.test ESMTP\r\n');
    let buffered = '';
    let data: string | undefined;
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (data !== undefined) {
          if (line === '.') {
            messages.push(data);
            data = undefined;
            socket.write('250 OK queued\r\n');
          } else data += `${line}\r\n`;
          continue;
        }
        const command = line.toUpperCase();
        if (command.startsWith('RCPT') && rejectRecipients) socket.write(`${rejectRecipients}\r\n`);
        else if (command === 'DATA') {
          data = '';
          socket.write('354 go ahead\r\n');
        } else if (command === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}
