// The request inspector (development only): what each request did, recorded through the request
// context and carried by its pipeline event. Small apps built from core's own pieces stand in for
// the services: notes' owner-scoped read, jwt-auth's throttled login, password-reset's mail,
// rbac's refusal, a 500.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { signUp, testConfig, useTestDatabase, useTestRedis } from '@hub/testkit';
import type { Express, Request, Response } from 'express';
import { Redis as IoRedis } from 'ioredis';
import mongoose from 'mongoose';
import request from 'supertest';
import type { PipelineEvents, RequestEvent } from '../src/events.ts';
import { Inspection } from '../src/inspector.ts';
import { Timings } from '../src/timing.ts';
import {
  accountConfig,
  ApiRouter,
  commandsOf,
  connectMongo,
  createAccess,
  createAccounts,
  createMailer,
  createRedis,
  INSPECTOR_LIMITS,
  inspectNodeRedis,
  inspectRequests,
  isInspecting,
  logger,
  loginLimitConfig,
  ownedBy,
  principalOf,
  type InspectedItem,
  type InspectionRecord,
  type JobPage,
} from '../src/index.ts';
import { createQueue, createWorker } from '../src/queue.ts';
import { socketAuth, socketEvents, type Ack } from '../src/socket.ts';
import { createPipelineEvents } from '../src/events.ts';
import type { Queue } from 'bullmq';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import { io as connectSocket } from 'socket.io-client';
import { z } from 'zod';
import { appWith, captureLogs } from './support.ts';

// NODE_ENV=test: off until this file turns it on, before anything connects.
const offInTests = !isInspecting();
inspectRequests(true);

const db = useTestDatabase();
const redis = useTestRedis();

const Note = mongoose.model('Note', new mongoose.Schema({ title: String, owner: String, author: String }));
const Author = mongoose.model('Author', new mongoose.Schema({ name: String, tokenHash: String, passwordHash: String }));

const config = testConfig({ ...accountConfig, ...loginLimitConfig });
const developmentConfig = testConfig({ ...accountConfig, ...loginLimitConfig }, { NODE_ENV: 'development' });
// Built once the test Redis exists: the limits load their script when they are made.
let accounts: ReturnType<typeof createAccounts>;
let access: ReturnType<typeof accessFor>;
const accessFor = (tokens: ReturnType<typeof createAccounts>['tokens']) =>
  createAccess({ tokens, permissions: { user: ['notes:read'], admin: ['notes:read', 'notes:delete'] } });
// Nothing listens on port 1: the mail is handed to the mailer, then fails to send (quickly).
const mailer = createMailer({ SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'hub@example.com' });
const SECRET_TOKEN = 'reset-token-0123456789abcdefghij';

const ok = { summary: 'inspected', responses: { 200: 'ok' } };
const notesRoutes = () =>
  new ApiRouter('notes')
    .get('/n-plus-one', ok, access.authenticate(), async (req: Request, res: Response) => {
      const mine = await Note.find(ownedBy(principalOf(req))).lean();
      const authors = [];
      for (const note of mine) authors.push(await Author.findById(note.author).lean());
      res.json({ authors: authors.length });
    })
    .get('/with-in', ok, access.authenticate(), async (req: Request, res: Response) => {
      const mine = await Note.find(ownedBy(principalOf(req))).lean();
      const authors = await Author.find({ _id: { $in: mine.map((note) => note.author) } }).lean();
      res.json({ authors: authors.length });
    })
    .get('/:id', ok, access.authenticate(), access.authorize('notes:read'), async (req: Request, res: Response) => {
      res.json(await Note.findOne({ _id: req.params.id, ...ownedBy(principalOf(req)) }).lean());
    })
    .delete('/:id', ok, access.authenticate(), access.authorize('notes:delete'), (_req: Request, res: Response) => {
      res.status(204).end();
    });
const misc = new ApiRouter('misc')
  .post('/reset', ok, (req: Request, res: Response) => {
    const email = String((req.body as { email: string }).email);
    mailer.sendLater(async () => {
      await Author.findOne({ name: email }).lean();
      return { to: email, subject: 'Reset your password', text: `Open http://localhost/reset?token=${SECRET_TOKEN}&step=1` };
    });
    res.status(202).json({ accepted: true });
  })
  .get('/broken', ok, () => {
    throw new Error('the database said something odd');
  })
  .post('/secrets', ok, async (req: Request, res: Response) => {
    const { password, refreshToken } = req.body as { password: string; refreshToken: string };
    logger.info('checking', { password, refreshToken, header: req.get('authorization') });
    await Author.findOne({ tokenHash: refreshToken, passwordHash: password }).lean();
    await redis.redis.get(`sess:${refreshToken}`);
    res.json({ ok: true });
  })
  .get('/noisy', ok, async (_req: Request, res: Response) => {
    await Author.findOne({ name: 'n'.repeat(1_000) }).lean();
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`field${index}`, 'x'.repeat(300)]));
    for (let line = 0; line < 20; line += 1) logger.info(`line ${line}`, wide);
    res.json({ ok: true });
  })
  .get('/many', ok, async (_req: Request, res: Response) => {
    await Promise.all(Array.from({ length: 1_000 }, (_, index) => redis.redis.get(`many:${index}`)));
    res.json({ ok: true });
  })
  .post('/enqueue', ok, async (_req: Request, res: Response) => {
    const job = await jobs.add('reindex', { owner: 'ada', password: 'job-secret' }, { attempts: 2 });
    res.status(202).json({ id: job.id });
  })
  .post('/enqueue-many', ok, async (_req: Request, res: Response) => {
    const added = await jobs.addBulk([
      { name: 'first', data: {}, opts: { delay: 60_000 } },
      { name: 'second', data: {}, opts: { delay: 60_000, attempts: 3 } },
    ]);
    res.status(202).json({ ids: added.map((job) => job.id) });
  })
  .get('/node-redis', ok, async (_req: Request, res: Response) => {
    await nodeRedis.get('session-auth:sess:x');
    await nodeRedis.sendCommand(['EXPIRE', 'session-auth:sess:x', '60']);
    res.json({ ok: true });
  });
// A node-redis-shaped client (its commands are methods that return promises), wrapped as session-auth wraps its own.
const nodeRedis = inspectNodeRedis({ get: async (_key: string) => null, sendCommand: async (_args: string[]) => 1 });

// A queue of the web side (the /misc/enqueue route adds to it) and its worker, as a service with a worker has them.
let jobs: Queue;
const jobPrefix = `inspector-${process.pid}`;

let routes: Array<[string, ApiRouter]>;
let app: Express;
let devApp: Express;
beforeAll(() => {
  jobs = createQueue('reindex', { url: redis.url, prefix: jobPrefix });
  accounts = createAccounts(config, { service: 'core-test', limits: { ...config, redis: commandsOf(redis.redis) } });
  access = accessFor(accounts.tokens);
  routes = [
    ['/auth', accounts.router],
    ['/notes', notesRoutes()],
    ['/misc', misc],
  ];
  app = appWith(routes, { config, events: true });
  devApp = appWith(routes, { config: developmentConfig });
});

afterAll(async () => {
  await Promise.all([mailer.close(), jobs.close()]);
});

/** The event of the request that answered `response`, once its record is published. */
async function eventOf(on: Express, response: request.Response): Promise<RequestEvent> {
  const id = String(response.headers['x-request-id']);
  const events = on.locals.pipelineEvents as PipelineEvents;
  for (let tries = 0; tries < 200; tries += 1) {
    const event = events.recent().find((candidate) => candidate.id === id);
    if (event) return event;
    await new Promise((done) => setTimeout(done, 10));
  }
  throw new Error(`no event for request ${id}`);
}
const recordOf = async (response: request.Response, on: Express = app): Promise<InspectionRecord> => {
  const { inspection } = await eventOf(on, response);
  if (!inspection) throw new Error('the event has no inspection');
  return inspection;
};
const itemsOf = <Kind extends InspectedItem['kind']>(record: InspectionRecord, kind: Kind) =>
  record.items.filter((item): item is Extract<InspectedItem, { kind: Kind }> => item.kind === kind);

describe('what a request did, by kind', () => {
  test('a notes read shows its find on notes with the owner filter and the documents returned, at the handler stage, and the authz decision', async () => {
    const ada = await signUp(app);
    const note = await Note.create({ title: 'mine', owner: ada.user.id });
    const response = await request(app).get(`/notes/${note.id}`).set(ada.auth);
    expect(response.status).toBe(200);
    const record = await recordOf(response);
    const [find] = itemsOf(record, 'mongo');
    expect(find).toMatchObject({ command: 'find', collection: 'notes', stage: 'handler', returned: 1 });
    expect(find?.filter).toEqual({ _id: `ObjectId('${note.id}')`, owner: ada.user.id });
    expect(find?.ms).toBeGreaterThanOrEqual(0);
    expect(itemsOf(record, 'authz')).toEqual([
      expect.objectContaining({ stage: 'authz', decision: 'allowed', principal: ada.user.id, role: 'user', permission: 'notes:read' }),
      expect.objectContaining({ stage: 'handler', decision: 'scoped', filter: { owner: ada.user.id } }),
    ]);
    expect(record.insights).toEqual([]);
  });

  test("jwt-auth's login shows the throttle's Redis commands at the limit stage, and what is left of each limit", async () => {
    const ada = await signUp(app);
    const response = await request(app).post('/auth/login').send({ email: ada.email, password: ada.password });
    expect(response.status).toBe(200);
    const record = await recordOf(response);
    const commands = itemsOf(record, 'redis');
    expect(commands.length).toBeGreaterThanOrEqual(3);
    expect(commands.every((command) => command.stage === 'limit' || command.stage === 'delay')).toBe(true);
    expect(commands.map((command) => command.key)).toContainEqual(expect.stringContaining('limit:login-ip:'));
    const limits = itemsOf(record, 'limit');
    expect(limits.map((limit) => limit.name)).toEqual(['login-ip', 'login-account-ip', 'login-account']);
    expect(limits[0]).toMatchObject({ limit: config.LOGIN_MAX_PER_IP, allowed: true, stage: 'limit' });
    expect(limits[0]?.remaining).toBeLessThan(config.LOGIN_MAX_PER_IP);
    expect(Date.parse(String(limits[0]?.resetAt))).toBeGreaterThan(Date.now());
    // The user's lookup is there too, and the password hash it fetched is never shown.
    expect(itemsOf(record, 'mongo')).toContainEqual(expect.objectContaining({ command: 'find', collection: 'users', returned: 1 }));
  });

  test('a mail sent in the background (password-reset) is in its request: to, subject, size, the body with its token masked', async () => {
    const response = await request(app).post('/misc/reset').send({ email: 'ada@example.com' });
    expect(response.status).toBe(202);
    const record = await recordOf(response);
    const [mail] = itemsOf(record, 'mail');
    expect(mail).toMatchObject({ to: 'ada@example.com', subject: 'Reset your password', stage: 'response' });
    expect(mail?.bytes).toBeGreaterThan(40);
    expect(mail?.text).toBe('Open http://localhost/reset?token=<token>&step=1');
    expect(itemsOf(record, 'mongo')).toContainEqual(expect.objectContaining({ command: 'find', collection: 'authors' }));
    expect(JSON.stringify(record)).not.toContain(SECRET_TOKEN);
  });

  test('a denied rbac request shows the permission asked and the role that decided it', async () => {
    const ada = await signUp(app);
    const response = await request(app).delete('/notes/0123456789abcdef01234567').set(ada.auth);
    expect(response.status).toBe(403);
    const record = await recordOf(response);
    expect(itemsOf(record, 'authz')).toEqual([
      expect.objectContaining({ stage: 'authz', decision: 'denied', principal: ada.user.id, role: 'user', permission: 'notes:delete' }),
    ]);
  });

  test('a 500 shows the error with its stack in development, and not outside it', async () => {
    const inDevelopment = await request(devApp).get('/misc/broken');
    expect(inDevelopment.status).toBe(500);
    const [error] = itemsOf(await recordOf(inDevelopment, devApp), 'error');
    expect(error).toMatchObject({ name: 'Error', message: 'the database said something odd', stage: 'handler' });
    expect(error?.stack).toContain('inspector.test.ts');

    const inTest = await request(app).get('/misc/broken');
    expect(inTest.status).toBe(500);
    expect(itemsOf(await recordOf(inTest), 'error')).toEqual([]);
  });

  test("node-redis commands (session-auth's client) are recorded through inspectNodeRedis()", async () => {
    const record = await recordOf(await request(app).get('/misc/node-redis'));
    expect(itemsOf(record, 'redis').map(({ command, key }) => [command, key])).toEqual([
      ['GET', 'session-auth:sess:x'],
      ['EXPIRE', 'session-auth:sess:x'],
    ]);
  });
});

describe('insights', () => {
  test('an N+1 route is flagged with the shape that repeats and a link to the explanation; the same route with one $in is not', async () => {
    const ada = await signUp(app);
    const authors = await Author.create([{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }]);
    await Note.create(authors.map((author) => ({ title: author.name, owner: ada.user.id, author: author.id })));

    const nPlusOne = await recordOf(await request(app).get('/notes/n-plus-one').set(ada.auth));
    expect(nPlusOne.insights).toEqual([
      {
        kind: 'repeated-shape',
        message: '4 × find on authors with the same filter shape: one query with $in (or a $lookup) would do',
        explain: 'docs/request-inspector.md#the-same-query-again-and-again-n1',
      },
    ]);
    const withIn = await recordOf(await request(app).get('/notes/with-in').set(ada.auth));
    expect(itemsOf(withIn, 'mongo')).toHaveLength(2);
    expect(withIn.insights).toEqual([]);
  });
});

describe('insights, from a record', () => {
  const inspection = () =>
    new Inspection(new Timings(), { method: 'GET', url: '/', headers: {}, curl: "curl -i -X GET 'http://localhost/'" });

  test('a command slower than the threshold is named with its time; one at the threshold is not', () => {
    const record = inspection();
    record.timed('find', 'notes', INSPECTOR_LIMITS.slowMs + 140);
    record.timed('find', 'authors', INSPECTOR_LIMITS.slowMs);
    expect(record.record().insights).toEqual([
      {
        kind: 'slow-command',
        message: 'find on notes took 240 ms (slower than 100 ms)',
        explain: 'docs/request-inspector.md#a-slow-command',
      },
    ]);
  });

  test('the N+1 hint needs the same shape repeatedly: other collections, commands or filter fields are other shapes', () => {
    const record = inspection();
    for (let n = 1; n < INSPECTOR_LIMITS.repeatedShape; n += 1)
      record.countCommand('mongo', { command: 'find', collection: 'notes', filter: { _id: n } });
    record.countCommand('mongo', { command: 'find', collection: 'authors', filter: { _id: 1 } });
    record.countCommand('mongo', { command: 'delete', collection: 'notes', filter: { _id: 1 } });
    record.countCommand('mongo', { command: 'find', collection: 'notes', filter: { owner: 'x' } });
    expect(record.record().insights).toEqual([]);
    record.countCommand('mongo', { command: 'find', collection: 'notes', filter: { _id: { $in: [7] } } });
    expect(record.record().insights).toEqual([]);
    record.countCommand('mongo', { command: 'find', collection: 'notes', filter: { _id: 99 } });
    expect(record.record().insights.map((insight) => insight.message)).toEqual([
      `${INSPECTOR_LIMITS.repeatedShape} × find on notes with the same filter shape: one query with $in (or a $lookup) would do`,
    ]);
  });
});

describe('redaction and budgets', () => {
  test('a password, a token and an Authorization value never appear in any item, nor in the request or its curl', async () => {
    const logs = captureLogs('development', 'debug');
    try {
      const password = 'hunter2-is-my-password';
      const refreshToken = 'refresh-token-abcdefghij0123456789';
      const bearer = 'header.payload.signature-0123456789';
      const response = await request(app)
        .post(`/misc/secrets?token=${SECRET_TOKEN}&page=2`)
        .set('Authorization', `Bearer ${bearer}`)
        .send({ email: 'ada@example.com', password, refreshToken });
      expect(response.status).toBe(200);
      const record = await recordOf(response);
      expect(itemsOf(record, 'log')).toEqual([expect.objectContaining({ level: 'info', message: 'checking', stage: 'handler' })]);
      expect(itemsOf(record, 'mongo')[0]?.filter).toEqual({ tokenHash: '[REDACTED]', passwordHash: '[REDACTED]' });
      expect(itemsOf(record, 'redis')[0]?.key).toBe(`${redis.prefix}sess:refr…`);
      expect(record.request?.curl).toBe(
        `curl -i -X POST 'http://${String(response.request.url).split('/')[2]}/misc/secrets?token=<token>&page=2' ` +
          `-H 'content-type: application/json' -H 'authorization: Bearer <token>' ` +
          `-d '{"email":"ada@example.com","password":"<password>","refreshToken":"<refreshToken>"}'`,
      );
      const everything = JSON.stringify(record);
      for (const secret of [password, refreshToken, bearer, SECRET_TOKEN]) expect(everything).not.toContain(secret);
    } finally {
      logs.restore();
    }
  });

  test('a request issuing 1,000 commands keeps at most N of them, counts them all, and says so', async () => {
    const response = await request(app).get('/misc/many');
    expect(response.status).toBe(200);
    const record = await recordOf(response);
    expect(itemsOf(record, 'redis')).toHaveLength(INSPECTOR_LIMITS.itemsPerKind);
    expect(record.commands.redis).toBe(1_000);
    expect(record.dropped.redis).toBe(1_000 - INSPECTOR_LIMITS.itemsPerKind);
    expect(record.insights.map((insight) => insight.kind)).toContain('many-commands');
    expect(JSON.stringify(record).length).toBeLessThan(INSPECTOR_LIMITS.recordBytes + 2_000);
  });

  test('long values are cut, and the whole record stays under its size: the items beyond it are counted', async () => {
    const logs = captureLogs('development', 'debug');
    try {
      const record = await recordOf(await request(app).get('/misc/noisy'));
      const [find] = itemsOf(record, 'mongo');
      expect(find?.filter).toEqual({ name: `${'n'.repeat(INSPECTOR_LIMITS.valueChars)}… (1000 characters)` });
      const kept = itemsOf(record, 'log').length;
      expect(kept).toBeGreaterThan(0);
      expect(kept + (record.dropped.log ?? 0)).toBe(20);
      expect(record.dropped.log).toBeGreaterThan(0);
      expect(JSON.stringify(record.items).length).toBeLessThanOrEqual(INSPECTOR_LIMITS.recordBytes);
    } finally {
      logs.restore();
    }
  });
});

describe('work that outlives the request', () => {
  test("a job the request enqueued is an item of it; each worker attempt is on the job's page with its commands, logs and outcome", async () => {
    const logs = captureLogs(); // logging is silent in tests
    let runs = 0;
    const worker = createWorker(
      'reindex',
      async (job) => {
        runs += 1;
        await Author.findOne({ name: (job.data as { owner: string }).owner }).lean();
        logger.info(`reindexing, run ${runs}`);
        if (runs === 1) throw new Error('the index was busy');
        return { indexed: 3 };
      },
      { url: redis.url, prefix: jobPrefix },
    );
    try {
      const finished = new Promise((done) => worker.on('completed', done));
      const response = await request(app).post('/misc/enqueue').send({});
      expect(response.status).toBe(202);
      const id = String((response.body as { id: string }).id);
      expect(itemsOf(await recordOf(response), 'job')).toEqual([
        expect.objectContaining({ queue: 'reindex', name: 'reindex', jobId: id, attempts: 2, stage: 'handler' }),
      ]);
      await finished;

      const page = await request(app).get(`/__hub/jobs/reindex/${id}`);
      expect(page.status).toBe(200);
      const body = page.body as JobPage;
      expect(body).toMatchObject({
        queue: 'reindex',
        id,
        name: 'reindex',
        state: 'completed',
        attemptsMade: 2,
        attempts: 2,
        result: { indexed: 3 },
      });
      // The job's data is shown as the inspector shows any value: secrets redacted.
      expect(body.data).toEqual({ owner: 'ada', password: '[REDACTED]' });
      expect(body.runs.map(({ attempt, outcome, error }) => ({ attempt, outcome, error }))).toEqual([
        { attempt: 1, outcome: 'failed', error: 'the index was busy' },
        { attempt: 2, outcome: 'completed', error: undefined },
      ]);
      for (const [index, run] of body.runs.entries()) {
        expect(itemsOf(run.record, 'mongo')).toEqual([
          expect.objectContaining({ command: 'find', collection: 'authors', filter: { name: 'ada' }, returned: 0, stage: 'job' }),
        ]);
        expect(itemsOf(run.record, 'log')).toEqual([expect.objectContaining({ message: `reindexing, run ${index + 1}`, stage: 'job' })]);
        expect(run.record.request).toBeUndefined();
        expect(run.worker).toContain(`pid ${process.pid}`);
      }
    } finally {
      logs.restore();
      await worker.close();
    }
  });

  test('jobs added in bulk are one item each, with their own options', async () => {
    const response = await request(app).post('/misc/enqueue-many').send({});
    const [first, second] = (response.body as { ids: string[] }).ids;
    expect(itemsOf(await recordOf(response), 'job')).toEqual([
      expect.objectContaining({ name: 'first', jobId: first, delayMs: 60_000 }),
      expect.objectContaining({ name: 'second', jobId: second, delayMs: 60_000, attempts: 3 }),
    ]);
    const page = await request(app).get(`/__hub/jobs/reindex/${String(second)}`);
    expect(page.body).toMatchObject({ state: 'delayed', attemptsMade: 0, runs: [] });
  });

  test('a job page for an unknown job or queue is a 404 problem', async () => {
    const unknownJob = await request(app).get('/__hub/jobs/reindex/no-such-job');
    expect(unknownJob.status).toBe(404);
    expect(unknownJob.body).toMatchObject({ status: 404, detail: 'No job no-such-job in a queue called reindex here.' });
    expect((await request(app).get('/__hub/jobs/other/1')).status).toBe(404);
  });
});

describe('socket.io events', () => {
  test('each event a client sends is published like a request: its stages, its commands, what it emitted; a refusal names its field', async () => {
    const events = createPipelineEvents();
    const io = new SocketServer(createServer());
    io.use(socketAuth({ tokens: accounts.tokens, events }));
    io.on('connection', (socket) => {
      void socket.join('room-1');
      socketEvents(socket)('note:share', z.strictObject({ title: z.string().max(10) }), async ({ title }) => {
        await Note.findOne({ title }).lean();
        io.to('room-1').emit('note:shared', { title });
        socket.emit('note:thanks', { title });
        return { shared: title };
      });
    });
    io.httpServer.listen(0, '127.0.0.1');
    await once(io.httpServer, 'listening');
    const { token: accessToken } = await signUp(app, { email: 'socket@example.com' });
    const client = connectSocket(`http://127.0.0.1:${(io.httpServer.address() as AddressInfo).port}`, {
      auth: { token: accessToken },
      transports: ['websocket'],
      reconnection: false,
    });
    try {
      await new Promise((done) => client.once('connect', () => done(undefined)));
      const send = (payload: unknown) => client.timeout(5_000).emitWithAck('note:share', payload) as Promise<Ack>;
      expect(await send({ title: 'plan' })).toEqual({ ok: true, data: { shared: 'plan' } });
      expect(await send({ title: 'x'.repeat(11) })).toMatchObject({ ok: false, error: { status: 400, code: 'invalid-payload' } });
      for (let tries = 0; tries < 200 && events.recent().length < 2; tries += 1) await new Promise((done) => setTimeout(done, 10));

      const [shared, refused] = events.recent();
      expect(shared).toMatchObject({ method: 'EVENT', path: 'note:share', status: 200, failedAt: null, problem: null });
      expect(shared?.stages.map(({ stage }) => stage)).toEqual(['authn', 'validate', 'handler', 'db']);
      const items = shared?.inspection?.items ?? [];
      expect(items.filter((item) => item.kind === 'mongo')).toEqual([
        expect.objectContaining({ command: 'find', collection: 'notes', filter: { title: 'plan' }, stage: 'handler' }),
      ]);
      expect(items.filter((item) => item.kind === 'emit')).toEqual([
        expect.objectContaining({ event: 'note:shared', to: ['room-1'], bytes: JSON.stringify([{ title: 'plan' }]).length }),
        expect.objectContaining({ event: 'note:thanks', to: [client.id] }),
      ]);
      expect(refused).toMatchObject({ method: 'EVENT', path: 'note:share', status: 400, failedAt: 'validate' });
      expect(refused?.problem).toMatchObject({ title: 'invalid-payload', errors: [{ field: 'title', message: expect.any(String) }] });
    } finally {
      client.disconnect();
      await io.close();
    }
  });
});

describe('outside development', () => {
  test('in test and production nothing is installed: no command listener, no Redis wrapper, no record', async () => {
    expect(offInTests).toBe(true);
    const withInspector = mongoose.connection.getClient().listenerCount('commandStarted'); // this file turned it on
    inspectRequests(false);
    const connection = mongoose.createConnection();
    const plainRedis = createRedis(redis.url, { lazyConnect: true });
    try {
      await connectMongo(db.url, { connection, dbName: db.name, attempts: 1 });
      // The driver listens once itself; the inspector's listener is the one more.
      expect(connection.getClient().listenerCount('commandStarted')).toBe(withInspector - 1);
      expect(plainRedis.sendCommand).toBe(IoRedis.prototype.sendCommand);
      const client = { get: async () => null };
      expect(inspectNodeRedis(client)).toBe(client);
      // A production app has no emitter, so no request is ever recorded.
      const production = appWith(routes, { config: testConfig({ ...accountConfig, ...loginLimitConfig }, { NODE_ENV: 'production' }) });
      expect((await request(production).get('/health')).status).toBe(200);
      expect(production.locals.pipelineEvents).toBeUndefined();
      // Events forced on without the inspector: the event carries no record.
      const eventsOnly = appWith(routes, { config, events: true });
      expect((await eventOf(eventsOnly, await request(eventsOnly).get('/health'))).inspection).toBeUndefined();
    } finally {
      inspectRequests(true);
      await connection.close();
      plainRedis.disconnect();
    }
  });
});
