import { once } from 'node:events';
import { get, type IncomingMessage } from 'node:http';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { listen, useTestDatabase, type TestAccount } from '@hub/testkit';
import request from 'supertest';
import type { AppliedChange, LiveFlags } from '../src/flags/live-flags.ts';
import { accountWith, createFlag, evaluateOne, unique, useInstances, type Instance } from './support.ts';

useTestDatabase();
const instances = useInstances();
let a: Instance;
let b: Instance;
let admin: TestAccount;
let owner: TestAccount;

beforeAll(async () => {
  a = instances.first;
  b = await instances.another();
  [admin, owner] = await Promise.all([accountWith(a.app, 'admin'), accountWith(a.app, 'owner')]);
});

/** Resolves with the next change of `key` that `live` applies; fails if none comes within `ms`. */
function nextChange(live: LiveFlags, key: string, ms = 1000): Promise<AppliedChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no change of ${key} reached the instance within ${ms} ms`));
    }, ms);
    const stop = live.onChange((change) => {
      if (change.key !== key) return;
      clearTimeout(timer);
      stop();
      resolve(change);
    });
  });
}

/** Reads a text stream until `done(text so far)`, or fails after `ms`. */
function readUntil(stream: IncomingMessage, done: (text: string) => boolean, ms = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`the stream did not say it within ${ms} ms; it said: ${text}`)), ms);
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
      if (!done(text)) return;
      clearTimeout(timer);
      stream.removeAllListeners('data');
      resolve(text);
    });
  });
}

/** A new flag, created on A and already applied on B. */
async function createdOnBoth() {
  const key = unique();
  const created = nextChange(b.live, key);
  const flag = await createFlag(a.app, admin, { key });
  await created;
  return flag;
}

const enableProduction = (key: string, version: number) =>
  request(a.app)
    .put(`/flags/${key}`)
    .set(admin.auth)
    .set('If-Match', `"${version}"`)
    .send({ environments: { production: { enabled: true, fallthrough: 'on' } } });

describe('two instances on one MongoDB and one Redis', () => {
  test('a flag created and then changed on A is evaluated the new way on B within 1 s, without a restart', async () => {
    const created = nextChange(b.live, 'checkout-v2');
    await createFlag(a.app, admin, { key: 'checkout-v2' });
    await created;
    expect((await evaluateOne(b.app, 'checkout-v2', { targetingKey: 'u1' })).body).toMatchObject({ reason: 'DISABLED', value: false });

    const changed = nextChange(b.live, 'checkout-v2');
    const sentAt = Date.now();
    expect((await enableProduction('checkout-v2', 1)).status).toBe(200);
    const change = await changed;

    expect(change.version).toBe(2);
    expect(Date.now() - sentAt).toBeLessThan(1000);
    expect((await evaluateOne(b.app, 'checkout-v2', { targetingKey: 'u1' })).body).toMatchObject({
      reason: 'DEFAULT',
      value: true,
      metadata: { flagVersion: 2 },
    });
  });

  test('a flag deleted on A is FLAG_NOT_FOUND on B within 1 s', async () => {
    const flag = await createdOnBoth();
    const deleted = nextChange(b.live, flag.key);

    expect((await request(a.app).delete(`/flags/${flag.key}`).set(owner.auth).set('If-Match', '"1"')).status).toBe(204);

    expect(await deleted).toMatchObject({ key: flag.key, version: null });
    expect(b.live.get(flag.key)).toBeUndefined();
    expect((await evaluateOne(b.app, flag.key, {})).status).toBe(404);
  });

  test('an instance started later loads every stored flag before it serves', async () => {
    const flag = await createFlag(a.app, admin);

    const late = await instances.another();

    expect(late.live.get(flag.key)).toMatchObject({ key: flag.key, version: 1 });
  });

  test('a message on the channel that is not a change (or not JSON) is ignored, and later changes still arrive', async () => {
    await instances.redis.publish(instances.channel, 'not json');
    await instances.redis.publish(instances.channel, JSON.stringify({ key: 42 }));
    const flag = await createdOnBoth();
    const changed = nextChange(b.live, flag.key);

    await enableProduction(flag.key, 1);

    expect(await changed).toMatchObject({ key: flag.key, version: 2 });
  });
});

describe('GET /ofrep/v1/events (server-sent events)', () => {
  test('a client connected to B sees a refetchEvaluation event naming the flag when an admin changes it on A', async () => {
    const flag = await createdOnBoth();
    const running = await listen(b.app);
    const call = get(`${running.url}/ofrep/v1/events`);
    try {
      const [stream] = (await once(call, 'response')) as [IncomingMessage];
      expect(stream.statusCode).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      await readUntil(stream, (text) => text.includes(': connected'));

      const [, text] = await Promise.all([enableProduction(flag.key, 1), readUntil(stream, (text) => text.includes(flag.key))]);

      const event = /id: (\d+)\nevent: message\ndata: (.+)\n\n/.exec(text);
      expect(event).not.toBeNull();
      expect(JSON.parse(event?.[2] ?? '{}')).toEqual({
        type: 'refetchEvaluation',
        flag: flag.key,
        version: 2,
        lastModified: expect.any(Number),
      });
    } finally {
      call.destroy();
      await running.close();
    }
  });

  test('when an instance stops, its SSE streams end, so clients reconnect elsewhere instead of holding its shutdown', async () => {
    const leaving = await instances.another();
    const running = await listen(leaving.app);
    const call = get(`${running.url}/ofrep/v1/events`);
    try {
      const [stream] = (await once(call, 'response')) as [IncomingMessage];
      await readUntil(stream, (text) => text.includes(': connected'));

      const ended = once(stream, 'end');
      stream.resume();
      await leaving.live.stop();

      await ended;
      expect(stream.complete).toBe(true);
    } finally {
      call.destroy();
      await running.close();
    }
  });
});
