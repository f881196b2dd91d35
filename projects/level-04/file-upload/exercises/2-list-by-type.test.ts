// Exercise 2: GET /files?type=… lists only my files of that type; an unknown type is a 400.
import { describe, expect, test } from '@jest/globals';
import { expectFieldProblem, signUp, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { aFile, testApp, upload } from '../test/support.ts';

useTestDatabase();
const app = testApp();

describe('GET /files?type=', () => {
  test("lists only the caller's files of that type", async () => {
    const [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
    await upload(app, alice.auth, aFile('png'), 'a.png');
    await upload(app, alice.auth, aFile('pdf'), 'b.pdf');
    await upload(app, alice.auth, aFile('png'), 'c.png');
    await upload(app, bob.auth, aFile('png'), 'bob.png');

    const response = await request(app).get('/files').set(alice.auth).query({ type: 'image/png' });

    expect(response.status).toBe(200);
    expect(response.body.total).toBe(2);
    expect(response.body.items.map((file: { name: string }) => file.name).sort()).toEqual(['a.png', 'c.png']);
  });

  test.each(['text/html', 'image/svg+xml', 'png'])('type=%s is not an accepted type: 400 naming query.type', async (type) => {
    const account = await signUp(app);

    expectFieldProblem(await request(app).get('/files').set(account.auth).query({ type }), 'query', 'type');
  });
});
