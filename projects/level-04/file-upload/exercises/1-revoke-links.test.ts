// Exercise 1: DELETE /files/:id/shares revokes every link to one of my files; the file stays.
import { describe, expect, test } from '@jest/globals';
import { signUp, useTestDatabase } from '@hub/testkit';
import request from 'supertest';
import { Share } from '../src/shares/share.model.ts';
import { stored, testApp, upload } from '../test/support.ts';

useTestDatabase();
const app = testApp();

const shareOf = async (auth: { Authorization: string }, file: string) =>
  (await request(app).post('/shares').set(auth).send({ file })).body as { url: string };

describe('DELETE /files/:id/shares', () => {
  test('answers 204; every link to the file answers 404 after, and the file itself stays', async () => {
    const account = await signUp(app);
    const file = (await upload(app, account.auth)).body.id as string;
    const links = [await shareOf(account.auth, file), await shareOf(account.auth, file)];

    const response = await request(app).delete(`/files/${file}/shares`).set(account.auth);

    expect(response.status).toBe(204);
    for (const { url } of links) expect((await request(app).get(url)).status).toBe(404);
    expect(await Share.countDocuments({ file })).toBe(0);
    expect(await stored(file)).not.toBeNull();
  });

  test("another account's file answers 404, and its links keep working", async () => {
    const [alice, bob] = await Promise.all([signUp(app), signUp(app)]);
    const file = (await upload(app, alice.auth)).body.id as string;
    const link = await shareOf(alice.auth, file);

    const response = await request(app).delete(`/files/${file}/shares`).set(bob.auth);

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await request(app).get(link.url)).status).toBe(200);
  });
});
