// Exercise 1: /ready keeps its result for one second, measured by the app's `now` clock, so a
// burst of probes costs one MongoDB ping. Which requests pinged shows in Server-Timing: a
// database command adds a `db` stage, an answer from the cache has none.
import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import mongoose from 'mongoose';
import request from 'supertest';
import { testApp } from '../test/support.ts';

const database = useTestDatabase();

/** A clock the test moves by hand instead of sleeping. */
function movableClock() {
  let time = Date.parse('2026-12-01T10:00:00.000Z');
  return { now: () => new Date(time), advance: (ms: number) => void (time += ms) };
}

/** The app with `now` as its clock, the dependency this exercise adds to AppDeps (spread, so the file compiles before it exists). */
function appWith(now: () => Date, db = mongoose.connection) {
  const clock = { now };
  return testApp({ db, ...clock });
}

const pinged = (response: request.Response) => /\bdb;dur=/.test(String(response.headers['server-timing']));

describe('GET /ready with a one-second cache', () => {
  test('ten quick calls send one ping, and all ten answer 200 ready', async () => {
    const clock = movableClock();
    const app = appWith(clock.now);

    const answers = [];
    for (let call = 0; call < 10; call += 1) {
      answers.push(await request(app).get('/ready'));
      clock.advance(100); // the tenth call is at +900 ms: still within the second
    }

    expect(answers.map(({ status }) => status)).toEqual(Array(10).fill(200));
    expect(answers.every(({ body }) => body.status === 'ready' && body.checks.mongo === 'up')).toBe(true);
    expect(answers.map(pinged)).toEqual([true, false, false, false, false, false, false, false, false, false]);
  });

  test('once the second has passed, the next call pings again', async () => {
    const clock = movableClock();
    const app = appWith(clock.now);

    const first = await request(app).get('/ready');
    clock.advance(999);
    const cached = await request(app).get('/ready');
    clock.advance(2);
    const fresh = await request(app).get('/ready');

    expect([first, cached, fresh].map(pinged)).toEqual([true, false, true]);
    expect(fresh.status).toBe(200);
  });

  test('a database that went away is reported within a second: after the window, 503 naming mongo', async () => {
    const clock = movableClock();
    const connection = await mongoose.createConnection(database.url, { dbName: database.name }).asPromise();
    const app = appWith(clock.now, connection);

    const before = await request(app).get('/ready');
    await connection.close();
    clock.advance(1001);
    const after = await request(app).get('/ready');

    expect(before.status).toBe(200);
    expect(after.status).toBe(503);
    expect(after.body.detail).toBe('Not ready: mongo not answering.');
  });

  test('shutting down is never hidden by the cache: 503 at once, even within the second', async () => {
    const clock = movableClock();
    const app = appWith(clock.now);

    const before = await request(app).get('/ready');
    app.locals.shuttingDown = true;
    const during = await request(app).get('/ready');

    expect(before.status).toBe(200);
    expect(during.status).toBe(503);
    expect(during.body.type).toBe('urn:backend-hub:problem:shutting-down');
  });

  test('/health still never touches the database', async () => {
    const app = appWith(movableClock().now);

    const response = await request(app).get('/health');

    expect(response.status).toBe(200);
    expect(pinged(response)).toBe(false);
  });
});
