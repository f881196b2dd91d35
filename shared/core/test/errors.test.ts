import { describe, expect, test } from '@jest/globals';
import { testConfig, useTestDatabase } from '@hub/testkit';
import type { Request, Response } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { z } from 'zod';
import { ApiRouter, AppError, badRequest, conflict, loadConfig, validate } from '../src/index.ts';
import { toAppError } from '../src/errors.ts';
import { appWith, captureLogs } from './support.ts';

useTestDatabase();

const Member = mongoose.model(
  'ErrorsMember',
  new mongoose.Schema({
    email: { type: String, required: true, unique: true },
    age: { type: Number, min: 0 },
    team: { type: String },
  }),
);
const Seat = mongoose.model(
  'ErrorsSeat',
  new mongoose.Schema({ room: { type: String, required: true }, number: { type: Number, required: true } }).index(
    { room: 1, number: 1 },
    { unique: true },
  ),
);

const SECRET_DETAIL = 'secret internal detail at db.ts';
const ok = { 200: 'ok' };

const routes = new ApiRouter('errors')
  .get('/crash', { summary: 'throws an unexpected error', responses: ok }, () => {
    throw new Error(SECRET_DETAIL);
  })
  .get('/crash-async', { summary: 'rejects with an unexpected error', responses: ok }, async () => {
    await Promise.resolve();
    throw new TypeError(SECRET_DETAIL);
  })
  .get('/throw-string', { summary: 'throws a non-error', responses: ok }, () => {
    throw SECRET_DETAIL;
  })
  .get('/bad-request', { summary: 'a trusted 400', responses: ok }, () => {
    throw badRequest('The title is required.', [{ in: 'body', field: 'title', message: 'is required' }]);
  })
  .get('/conflict', { summary: 'a trusted 409', responses: ok }, () => {
    throw conflict('That slug is taken.', [{ field: 'slug', message: 'is already taken' }]);
  })
  .get('/extended', { summary: 'a 400 with extension members', responses: ok }, () => {
    throw new AppError(400, 'invalid-context', 'The context has no targetingKey.', {
      extensions: { errorCode: 'INVALID_CONTEXT', status: 200, type: 'mine', requestId: 'forged' },
    });
  })
  .get('/zod', { summary: 'a zod error from the handler', responses: ok }, () => {
    z.object({ user: z.object({ email: z.email() }) }).parse({ user: { email: 'not-an-email' } });
  })
  .get('/members/:id', { summary: 'findById with a raw id', responses: ok }, async (req: Request, res: Response) => {
    res.json(await Member.findById(req.params.id).lean());
  })
  .post('/members', { summary: 'create without validate()', responses: { 201: 'created' } }, async (req: Request, res: Response) => {
    res.status(201).json(await Member.create(req.body));
  })
  .post('/seats', { summary: 'create a seat', responses: { 201: 'created' } }, async (req: Request, res: Response) => {
    res.status(201).json(await Seat.create(req.body));
  })
  .post(
    '/strict',
    { summary: 'a strict body', responses: ok },
    validate({ body: z.strictObject({ name: z.string() }) }),
    (req: Request, res: Response) => {
      res.json(req.body);
    },
  );

const development = appWith([['', routes]], { config: testConfig({}, { NODE_ENV: 'development' }) });
const production = appWith([['', routes]], { config: testConfig({}, { NODE_ENV: 'production', BODY_LIMIT: '1kb' }) });

function expectProblem(response: request.Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.status).toBe(status);
  expect(response.body.requestId).toBe(response.headers['x-request-id']);
}

describe('unexpected errors (500)', () => {
  test.each(['/crash', '/crash-async', '/throw-string'])('in production, %s answers 500 without its message or a stack', async (path) => {
    const response = await request(production).get(path);

    expectProblem(response, 500);
    expect(response.body).toEqual({
      type: 'urn:backend-hub:problem:internal',
      title: 'Internal Server Error',
      status: 500,
      detail: 'Something went wrong on our side. Quote the request id if you report it.',
      instance: path,
      requestId: response.headers['x-request-id'],
    });
    const text = JSON.stringify(response.body);
    expect(text).not.toContain('secret internal detail');
    expect(text).not.toContain('db.ts');
    expect(text).not.toMatch(/\bat .+:\d+/);
  });

  test('in development, the same error shows its message and stack', async () => {
    const response = await request(development).get('/crash');

    expectProblem(response, 500);
    expect(response.body.detail).toBe(SECRET_DETAIL);
    // The stack of the error the handler threw, pointing at the handler, not at the error mapper.
    expect(response.body.stack).toMatch(/^Error: secret internal detail at db\.ts\n\s+at /);
    expect(response.body.stack).toContain('errors.test.ts');
  });

  test('in production, the hidden error is logged in full with the request id, so it can still be found', async () => {
    const logs = captureLogs('production', 'error');
    try {
      const response = await request(production).get('/crash');
      await logs.waitFor(1);

      const [line] = logs.json();
      expect(line).toMatchObject({ level: 'error', message: 'GET /crash failed', requestId: response.headers['x-request-id'] });
      expect(JSON.stringify(line)).toContain(SECRET_DETAIL);
    } finally {
      logs.restore();
    }
  });

  test('the logged line names the path without its query string, which may carry a token', async () => {
    const logs = captureLogs('production', 'error');
    try {
      await request(production).get('/crash?token=live-reset-token');
      await logs.waitFor(1);

      expect(logs.json()[0]).toMatchObject({ message: 'GET /crash failed' });
      expect(logs.lines.join('\n')).not.toContain('live-reset-token');
    } finally {
      logs.restore();
    }
  });
});

describe('trusted errors keep their detail in production', () => {
  test('a 400 AppError keeps its detail and field errors', async () => {
    const response = await request(production).get('/bad-request');

    expectProblem(response, 400);
    expect(response.body).toMatchObject({
      type: 'urn:backend-hub:problem:bad-request',
      title: 'Bad Request',
      detail: 'The title is required.',
      errors: [{ in: 'body', field: 'title', message: 'is required' }],
    });
    expect(response.body.stack).toBeUndefined();
  });

  test('a 409 AppError keeps its detail', async () => {
    const response = await request(production).get('/conflict');

    expectProblem(response, 409);
    expect(response.body.detail).toBe('That slug is taken.');
  });

  test("an AppError's extension members (RFC 9457) sit beside the standard ones, and never replace them", async () => {
    const response = await request(production).get('/extended');

    expectProblem(response, 400);
    expect(response.body).toMatchObject({
      type: 'urn:backend-hub:problem:invalid-context',
      detail: 'The context has no targetingKey.',
      errorCode: 'INVALID_CONTEXT',
    });
  });

  test('an unknown route names the method and path', async () => {
    const response = await request(production).get('/nowhere?x=1');

    expectProblem(response, 404);
    expect(response.body).toMatchObject({ detail: 'No route for GET /nowhere.', instance: '/nowhere' });
  });
});

describe('zod errors', () => {
  test('a ZodError thrown by a handler is a bug on our side: 500, saying nothing about it', async () => {
    const response = await request(production).get('/zod');

    expectProblem(response, 500);
    expect(response.body.errors).toBeUndefined();
    expect(JSON.stringify(response.body)).not.toMatch(/email/i);
  });

  test('an unknown key in a strict body is named as the field, "is not a known field"', async () => {
    const response = await request(production).post('/strict').send({ name: 'a', role: 'admin', isAdmin: true });

    expectProblem(response, 400);
    expect(response.body.errors).toEqual([
      { in: 'body', field: 'role', message: 'is not a known field' },
      { in: 'body', field: 'isAdmin', message: 'is not a known field' },
    ]);
  });
});

describe('mongoose errors', () => {
  test('a CastError (an id that is not an ObjectId) answers 400 naming the path', async () => {
    const response = await request(production).get('/members/not-an-object-id');

    expectProblem(response, 400);
    expect(response.body).toMatchObject({
      detail: '_id is not a valid ObjectId.',
      errors: [{ field: '_id', message: 'must be a valid ObjectId' }],
    });
  });

  test('a ValidationError answers 400 with one field error per invalid path', async () => {
    const response = await request(production).post('/members').send({ age: -1 });

    expectProblem(response, 400);
    expect(response.body.detail).toBe('The data is not valid.');
    const fields = (response.body.errors as Array<{ field: string }>).map(({ field }) => field).sort();
    expect(fields).toEqual(['age', 'email']);
  });

  test('a duplicate key on a unique index answers 409 naming the field', async () => {
    const email = `dup-${Date.now()}@example.com`;
    await Member.create({ email });

    const response = await request(production).post('/members').send({ email });

    expectProblem(response, 409);
    expect(response.body).toMatchObject({
      type: 'urn:backend-hub:problem:conflict',
      detail: 'A resource with the same email already exists.',
      errors: [{ field: 'email', message: 'is already taken' }],
    });
    expect(await Member.countDocuments({ email })).toBe(1);
  });

  test('a duplicate key on a compound unique index names every field of the index', async () => {
    const room = `room-${Date.now()}`;
    await Seat.create({ room, number: 7 });

    const response = await request(production).post('/seats').send({ room, number: 7 });

    expectProblem(response, 409);
    expect(response.body.errors).toEqual([
      { field: 'room', message: 'is already taken' },
      { field: 'number', message: 'is already taken' },
    ]);
  });

  test('when the engine names only the index, the fields come from the index name', () => {
    const error = toAppError({ code: 11000, message: 'E11000 duplicate key error collection: t.seats index: room_1_number_-1 dup key' });

    expect(error.status).toBe(409);
    expect(error.errors?.map(({ field }) => field)).toEqual(['room', 'number']);
  });
});

describe('request body errors (body-parser)', () => {
  test('malformed JSON answers 400 malformed-json, decided at the parse stage', async () => {
    const response = await request(production).post('/strict').set('Content-Type', 'application/json').send('{"name": "a",');

    expectProblem(response, 400);
    expect(response.body).toMatchObject({ type: 'urn:backend-hub:problem:malformed-json', detail: 'The request body is not valid JSON.' });
    expect(response.headers['server-timing']).toMatch(/^parse;desc="failed here", total;dur=/);
  });

  test('a body over BODY_LIMIT answers 413 naming the limit', async () => {
    const response = await request(production)
      .post('/strict')
      .send({ name: 'x'.repeat(2_000) });

    expectProblem(response, 413);
    expect(response.body.detail).toBe('The request body is larger than the 1024 byte limit.');
  });

  test('an unsupported charset answers 415', async () => {
    const response = await request(production).post('/strict').set('Content-Type', 'application/json; charset=latin1').send('{"name":"a"}');

    expectProblem(response, 415);
    expect(response.body.type).toBe('urn:backend-hub:problem:unsupported-encoding');
  });

  test('an unsupported content encoding answers 415', async () => {
    const response = await request(production)
      .post('/strict')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'x-made-up')
      .send('{"name":"a"}');

    expectProblem(response, 415);
  });

  test.each([
    ['request.aborted', 400, 'request-aborted', 'parse'],
    ['request.size.invalid', 400, 'bad-request', 'parse'],
    ['some.future.type', 500, 'internal', undefined],
  ])('a body-parser error of type %s maps to %i %s, decided at stage %s', (type, status, code, stage) => {
    const error = toAppError(Object.assign(new Error('raw'), { type }));

    expect(error).toMatchObject({ status, code, stage });
  });

  test('anything else becomes an untrusted 500 that keeps the original as its cause', () => {
    const original = new Error('boom');

    const error = toAppError(original);

    expect(error).toMatchObject({ status: 500, code: 'internal', isTrusted: false, message: 'boom' });
    expect(error.cause).toBe(original);
    expect(toAppError(new AppError(418, 'teapot', 'short and stout'))).toMatchObject({ status: 418, code: 'teapot' });
  });
});

describe('errors a library marks with a client status', () => {
  test('a path parameter that is not valid percent-encoding answers 400 malformed-path, decided at the route', async () => {
    const response = await request(production).get('/members/%E0%A4%A');

    expectProblem(response, 400);
    expect(response.body.type).toBe('urn:backend-hub:problem:malformed-path');
    expect(response.headers['server-timing']).toMatch(/route;desc="failed here"/);
    expect(response.headers['server-timing']).not.toMatch(/handler/);
  });

  test('an error with a 4xx status or statusCode answers that status, its message only when exposed', () => {
    const exposed = toAppError(Object.assign(new Error('Too many files'), { status: 413, expose: true }));
    const hidden = toAppError(Object.assign(new Error('internal parser state 0x2f'), { statusCode: 422, expose: false }));

    expect(exposed).toMatchObject({ status: 413, code: 'payload-too-large', message: 'Too many files', isTrusted: true });
    expect(hidden).toMatchObject({ status: 422, code: 'unprocessable-entity', message: 'Unprocessable Entity.' });
  });

  test.each([
    ['a 5xx status', { status: 502 }],
    ['a status that is not a number', { status: '400' }],
    ['a status below 400', { status: 302 }],
  ])('an error with %s stays an untrusted 500', (_, fields) => {
    expect(toAppError(Object.assign(new Error('raw'), fields))).toMatchObject({ status: 500, isTrusted: false });
  });

  test.each(['MongoServerSelectionError', 'MongoNetworkTimeoutError', 'MongoNetworkError', 'MongoPoolClearedError'])(
    'a %s means MongoDB is not answering: 503 database-unavailable with Retry-After, decided at db',
    (name) => {
      const error = toAppError(Object.assign(new Error('connection timed out'), { name }));

      expect(error).toMatchObject({ status: 503, code: 'database-unavailable', stage: 'db', headers: { 'Retry-After': '5' } });
    },
  );

  test('mongoose giving up on commands buffered while disconnected is a 503 too; other MongooseErrors are not', () => {
    const buffered = Object.assign(new Error('Operation `things.find()` buffering timed out after 2000ms'), { name: 'MongooseError' });
    const other = Object.assign(new Error('Model.prototype.save() no longer accepts a callback'), { name: 'MongooseError' });

    expect(toAppError(buffered)).toMatchObject({ status: 503, code: 'database-unavailable' });
    expect(toAppError(other)).toMatchObject({ status: 500, code: 'internal' });
  });
});

describe('errors when NODE_ENV is not set', () => {
  test('a forgotten NODE_ENV is production: a 500 says nothing about its cause and carries no stack', async () => {
    const config = loadConfig({}, { env: {}, envFile: false });

    const response = await request(appWith([['', routes]], { config })).get('/crash');

    expectProblem(response, 500);
    expect(JSON.stringify(response.body)).not.toContain(SECRET_DETAIL);
    expect(response.body).not.toHaveProperty('stack');
  });
});

describe('errors in the test environment', () => {
  test('NODE_ENV=test hides a 500 like production does', async () => {
    const response = await request(appWith([['', routes]])).get('/crash');

    expectProblem(response, 500);
    expect(JSON.stringify(response.body)).not.toContain(SECRET_DETAIL);
  });
});
