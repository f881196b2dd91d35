// Exercise 2: an email is not worth sending about a notification already read in the app.
import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import { deliver } from '../src/deliveries/deliver.ts';
import { Delivery } from '../src/deliveries/delivery.model.ts';
import { notify } from '../src/events/fan-out.ts';
import { markRead } from '../src/notifications/notifications.service.ts';
import { testApp } from '../test/support.ts';

const t = testApp();
const deps = () => ({ mailer: t.mailer, push: async () => undefined, now: () => t.clock.now, leaseMs: 1000, finalAttempt: true });

describe('exercise 2: the email channel skips a notification read in the app', () => {
  test('read before its email was sent: the email is skipped with the reason "already read in the app", and no mail goes out', async () => {
    const ada = await signUp(t.app);
    const id = await notify(
      { recipient: ada.user.id, type: 'comment.created', title: 'Read first', body: '', events: ['e'], source: 'exercise-2' },
      { enqueue: async () => undefined },
    );
    await deliver({ notification: id, channel: 'in_app' }, deps());
    await markRead(ada.user.id, id);

    const outcome = await deliver({ notification: id, channel: 'email' }, deps());

    expect(outcome).toEqual({ status: 'skipped', reason: 'already read in the app' });
    expect(await Delivery.findOne({ notification: id, channel: 'email' }).lean()).toMatchObject({
      status: 'skipped',
      reason: 'already read in the app',
    });
    expect(t.mailer.sent.filter((mail) => mail.to === ada.user.email)).toEqual([]);
  });

  test('unread, the email is still sent', async () => {
    const ada = await signUp(t.app);
    const id = await notify(
      { recipient: ada.user.id, type: 'comment.created', title: 'Unread', body: '', events: ['e'], source: 'exercise-2-unread' },
      { enqueue: async () => undefined },
    );

    expect(await deliver({ notification: id, channel: 'email' }, deps())).toEqual({ status: 'sent' });
  });
});
