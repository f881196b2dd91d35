// Exercise 1: "mark all read" for one type only, with the unread counter still exact.
import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { deliver } from '../src/deliveries/deliver.ts';
import { notify } from '../src/events/fan-out.ts';
import { Notification } from '../src/notifications/notification.model.ts';
import type { NotificationTypeName } from '../src/notifications/notification-types.ts';
import { testApp } from '../test/support.ts';

const t = testApp();
let sources = 0;

async function delivered(recipient: string, type: NotificationTypeName) {
  const source = `exercise-1-${(sources += 1)}`;
  const id = await notify({ recipient, type, title: type, body: '', events: ['e'], source }, { enqueue: async () => undefined });
  await deliver(
    { notification: id, channel: 'in_app' },
    { mailer: t.mailer, push: async () => undefined, now: () => t.clock.now, leaseMs: 1000, finalAttempt: true },
  );
}

describe('exercise 1: POST /notifications/read-all?type=…', () => {
  test('marks only that type read, and the unread count goes down by exactly that many', async () => {
    const ada = await signUp(t.app);
    await delivered(ada.user.id, 'comment.created');
    await delivered(ada.user.id, 'comment.created');
    await delivered(ada.user.id, 'mention.created');

    const response = await request(t.app).post('/notifications/read-all').set(ada.auth).query({ type: 'comment.created' });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ marked: 2 });
    expect((await request(t.app).get('/notifications/unread-count').set(ada.auth)).body).toEqual({ unread: 1 });
    expect(await Notification.countDocuments({ recipient: ada.user.id, type: 'mention.created', read: false })).toBe(1);
  });

  test('an unknown type is a 400 naming it', async () => {
    const ada = await signUp(t.app);

    const response = await request(t.app).post('/notifications/read-all').set(ada.auth).query({ type: 'nope' });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'type' })]);
  });
});
