// Exercise 2: GET /emails lists the caller's emails, newest first, optionally by status.
import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { failingMailer, settled, submit, testApp } from '../test/support.ts';

const service = testApp();

describe('exercise 2: GET /emails', () => {
  test("lists only the caller's emails, newest first, and ?status=dead only the dead ones", async () => {
    const [ada, bob] = [await signUp(service.app), await signUp(service.app)];
    const worker = service.startWorker({ mailer: failingMailer({ code: 'EENVELOPE', responseCode: 550, message: '550 no' }).mailer });
    const dead = (await submit(service.app, ada)).body.id as string;
    await settled(dead);
    await worker.close();
    const queued = (await submit(service.app, ada)).body.id as string;
    await submit(service.app, bob);

    const all = await request(service.app).get('/emails').set(ada.auth);
    const onlyDead = await request(service.app).get('/emails?status=dead').set(ada.auth);

    expect(all.status).toBe(200);
    expect(all.body.items.map((email: { id: string }) => email.id)).toEqual([queued, dead]);
    expect(onlyDead.body.items.map((email: { id: string }) => email.id)).toEqual([dead]);
  });

  test('an unknown status answers 400 naming it', async () => {
    const ada = await signUp(service.app);

    const response = await request(service.app).get('/emails?status=lost').set(ada.auth);

    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({ in: 'query', field: 'status' });
  });
});
