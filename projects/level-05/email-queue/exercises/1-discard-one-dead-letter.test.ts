// Exercise 1: DELETE /dead-letters/:id discards one dead email (and its failed job), the owner's only.
import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { Email } from '../src/emails/email.model.ts';
import { failingMailer, settled, submit, testApp } from '../test/support.ts';

const service = testApp();

async function deadEmailOf(account: Awaited<ReturnType<typeof signUp>>) {
  const worker = service.startWorker({
    mailer: failingMailer({ code: 'EENVELOPE', responseCode: 550, message: '550 no such mailbox' }).mailer,
  });
  const { body } = await submit(service.app, account);
  await settled(body.id);
  await worker.close();
  return body.id as string;
}

describe('exercise 1: DELETE /dead-letters/:id', () => {
  test('the owner discards one dead email: 204, the email and its failed job are gone, the other dead one stays', async () => {
    const ada = await signUp(service.app);
    const [discarded, kept] = [await deadEmailOf(ada), await deadEmailOf(ada)];

    const response = await request(service.app).delete(`/dead-letters/${discarded}`).set(ada.auth);

    expect(response.status).toBe(204);
    expect(await Email.exists({ _id: discarded })).toBeNull();
    expect(await service.queue.getJob(discarded)).toBeUndefined();
    expect(await Email.exists({ _id: kept })).not.toBeNull();
  });

  test("another account's dead email answers 404 and stays; a live email answers 409 and stays", async () => {
    const [ada, bob] = [await signUp(service.app), await signUp(service.app)];
    const bobs = await deadEmailOf(bob);
    const { body: live } = await submit(service.app, ada);

    const stranger = await request(service.app).delete(`/dead-letters/${bobs}`).set(ada.auth);
    const notDead = await request(service.app).delete(`/dead-letters/${live.id}`).set(ada.auth);

    expect(stranger.status).toBe(404);
    expect(notDead.status).toBe(409);
    expect(await Email.exists({ _id: bobs })).not.toBeNull();
    expect(await Email.exists({ _id: live.id })).not.toBeNull();
  });
});
