import { describe, expect, test } from '@jest/globals';
import { signUp } from '@hub/testkit';
import request from 'supertest';
import { deliver } from '../src/deliveries/deliver.ts';
import { Delivery } from '../src/deliveries/delivery.model.ts';
import { notify } from '../src/events/fan-out.ts';
import { Notification, UnreadCount } from '../src/notifications/notification.model.ts';
import type { Types } from 'mongoose';
import { anEvent, notificationOf, testApp } from './support.ts';

const t = testApp();
const statuses = async (notification: Types.ObjectId | string) =>
  Object.fromEntries((await Delivery.find({ notification }).lean()).map((delivery) => [delivery.channel, delivery.status]));

describe('POST /events fans out', () => {
  test('one event becomes, per recipient, a notification and one delivery job per channel; in-app stored, email sent', async () => {
    const [producer, ada, bob] = await Promise.all([signUp(t.app), signUp(t.app), signUp(t.app)]);

    const response = await request(t.app)
      .post('/events')
      .set(producer.auth)
      .send(anEvent([ada.user.id, bob.user.id]));
    expect(response.status).toBe(202);
    expect(t.queue.jobs.filter((job) => job.jobId === `event-${response.body.id}`)).toHaveLength(1);
    await t.drain();

    const notifications = await Notification.find({ events: response.body.id }).lean();
    expect(notifications.map((notification) => String(notification.recipient)).sort()).toEqual([ada.user.id, bob.user.id].sort());
    const deliverJobs = t.queue.jobs.filter(
      (job) => job.name === 'deliver' && notifications.some((notification) => job.jobId.includes(String(notification._id))),
    );
    expect(deliverJobs).toHaveLength(4);
    for (const notification of notifications) expect(await statuses(notification._id)).toEqual({ in_app: 'sent', email: 'sent' });
    expect(t.mailer.sent.filter((mail) => [ada.user.email, bob.user.email].includes(mail.to))).toHaveLength(2);
    const inbox = await request(t.app).get('/notifications').set(ada.auth);
    expect(inbox.body.items).toEqual([expect.objectContaining({ type: 'comment.created', body: 'Nice post!', read: false, events: 1 })]);
    expect((await request(t.app).get('/notifications/unread-count').set(ada.auth)).body).toEqual({ unread: 1 });
  });

  test('a fan-out that runs twice stores and queues everything once', async () => {
    const [producer, ada] = await Promise.all([signUp(t.app), signUp(t.app)]);
    const response = await request(t.app)
      .post('/events')
      .set(producer.auth)
      .send(anEvent([ada.user.id]));
    const fanout = t.job(`event-${response.body.id}`);

    await Promise.all([t.run(fanout), t.run(fanout)]);

    expect(await Notification.countDocuments({ events: response.body.id })).toBe(1);
    const notification = await notificationOf(response.body.id);
    expect(await Delivery.countDocuments({ notification: notification._id })).toBe(2);
  });
});

describe('the delivery handler', () => {
  const handlerDeps = () => ({
    mailer: t.mailer,
    push: async () => undefined,
    now: () => t.clock.now,
    leaseMs: 30_000,
    finalAttempt: false,
  });

  test.each(['in_app', 'email'] as const)(
    'run twice concurrently on %s, it delivers once and the second answers duplicate',
    async (channel) => {
      const ada = await signUp(t.app);
      const id = await notify(
        { recipient: ada.user.id, type: 'comment.created', title: 'Twice', body: '', events: ['e'], source: `twice-${channel}` },
        { enqueue: async () => undefined },
      );

      const outcomes = await Promise.all([
        deliver({ notification: id, channel }, handlerDeps()),
        deliver({ notification: id, channel }, handlerDeps()),
      ]);

      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['duplicate', 'sent']);
      expect(await Delivery.findOne({ notification: id, channel }).lean()).toMatchObject({ status: 'sent', attempts: 1 });
      if (channel === 'email') expect(t.mailer.sent.filter((mail) => mail.to === ada.user.email)).toHaveLength(1);
      else expect((await UnreadCount.findById(ada.user.id).lean())?.unread).toBe(1);
    },
  );

  test('the in-app delivery pushes the stored notification to its recipient', async () => {
    const ada = await signUp(t.app);
    const pushed: unknown[] = [];
    const id = await notify(
      { recipient: ada.user.id, type: 'mention.created', title: 'Pushed', body: '', events: ['e'], source: 'pushed' },
      { enqueue: async () => undefined },
    );
    const push = async (recipient: string, notification: unknown) => {
      if (recipient === ada.user.id) pushed.push(notification);
    };

    await deliver({ notification: id, channel: 'in_app' }, { ...handlerDeps(), push });

    expect(pushed).toEqual([expect.objectContaining({ id, title: 'Pushed', read: false })]);
  });
});

describe('preferences at send time', () => {
  test('opting out of email after the event was queued: the email is skipped with a reason, in-app still delivered', async () => {
    const [producer, ada] = await Promise.all([signUp(t.app), signUp(t.app)]);
    const response = await request(t.app)
      .post('/events')
      .set(producer.auth)
      .send(anEvent([ada.user.id]));
    await t.run(t.job(`event-${response.body.id}`));

    const put = await request(t.app)
      .put('/preferences')
      .set(ada.auth)
      .send({ mutedTypes: [{ type: 'comment.created', channel: 'email' }] });
    expect(put.status).toBe(200);
    await t.drain();

    const notification = await notificationOf(response.body.id);
    const deliveries = await request(t.app)
      .get(`/notifications/${String(notification._id)}/deliveries`)
      .set(ada.auth);
    expect(deliveries.body.items).toEqual([
      expect.objectContaining({ channel: 'email', status: 'skipped', reason: 'the recipient opted out of email for comment.created' }),
      expect.objectContaining({ channel: 'in_app', status: 'sent', reason: null }),
    ]);
    expect(t.mailer.sent.filter((mail) => mail.to === ada.user.email)).toEqual([]);
  });

  test('a critical type is delivered on a muted channel', async () => {
    const [producer, ada] = await Promise.all([signUp(t.app), signUp(t.app)]);
    await request(t.app)
      .put('/preferences')
      .set(ada.auth)
      .send({ mutedChannels: ['email', 'in_app'] });

    const response = await request(t.app)
      .post('/events')
      .set(producer.auth)
      .send(anEvent([ada.user.id], { type: 'security.new-login', title: 'New login' }));
    await t.drain();

    const notification = await notificationOf(response.body.id);
    expect(await statuses(notification._id)).toEqual({ in_app: 'sent', email: 'sent' });
    expect(t.mailer.sent.filter((mail) => mail.to === ada.user.email).map((mail) => mail.subject)).toEqual(['New login']);
  });
});

describe('channels retry and report on their own', () => {
  test('email failing every attempt ends failed with its error, while in-app is sent', async () => {
    const [producer, ada] = await Promise.all([signUp(t.app), signUp(t.app)]);
    const response = await request(t.app)
      .post('/events')
      .set(producer.auth)
      .send(anEvent([ada.user.id]));
    t.mailer.failing = true;
    try {
      await t.drain();
    } finally {
      t.mailer.failing = false;
    }

    const notification = await notificationOf(response.body.id);
    const email = await Delivery.findOne({ notification: notification._id, channel: 'email' }).lean();
    expect(email).toMatchObject({ status: 'failed', attempts: t.config.DELIVERY_ATTEMPTS, reason: expect.stringMatching(/ECONNREFUSED/) });
    expect(await statuses(notification._id)).toEqual({ in_app: 'sent', email: 'failed' });
  });

  test('email failing once is retried and then sent', async () => {
    const [producer, ada] = await Promise.all([signUp(t.app), signUp(t.app)]);
    const response = await request(t.app)
      .post('/events')
      .set(producer.auth)
      .send(anEvent([ada.user.id]));
    await t.run(t.job(`event-${response.body.id}`));
    const notification = await notificationOf(response.body.id);
    const emailJob = t.job(`deliver-${String(notification._id)}-email`);

    t.mailer.failing = true;
    await expect(t.run(emailJob)).rejects.toThrow(/email delivery/);
    t.mailer.failing = false;
    expect(await Delivery.findOne({ notification: notification._id, channel: 'email' }).lean()).toMatchObject({ status: 'retrying' });
    await t.run(emailJob);

    expect(await Delivery.findOne({ notification: notification._id, channel: 'email' }).lean()).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
  });
});

describe('digests', () => {
  test('three events with one digest key in one window become one notification summarising them', async () => {
    const [producer, ada] = await Promise.all([signUp(t.app), signUp(t.app)]);
    const key = `post-${Date.now()}`;
    for (const title of ['one', 'two', 'three'])
      await request(t.app)
        .post('/events')
        .set(producer.auth)
        .send(anEvent([ada.user.id], { digestKey: key, title }));
    await t.drain();
    expect(await Notification.countDocuments({ recipient: ada.user.id })).toBe(0);

    await t.drain({ delayed: true });

    const notifications = await Notification.find({ recipient: ada.user.id }).lean();
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ title: '3 new comment.created events', body: '- one\n- two\n- three' });
    expect(notifications[0]?.events).toHaveLength(3);
    const inbox = await request(t.app).get('/notifications').set(ada.auth);
    expect(inbox.body.items).toEqual([expect.objectContaining({ events: 3 })]);
  });
});
