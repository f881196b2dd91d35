import { describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import mongoose from 'mongoose';
import { ConfigError, createRefreshTokens, RefreshToken, sha256 } from '../src/index.ts';

useTestDatabase();

const HOUR = 3_600;
const DAY = 24 * HOUR;

/** A stopped clock the tests move by hand, so a family can grow 30 days old without waiting. */
function testClock(start = '2030-01-01T00:00:00.000Z') {
  let at = new Date(start).getTime();
  return {
    now: () => new Date(at),
    advance(seconds: number) {
      at += seconds * 1000;
    },
  };
}

// The store needs only an id to file a token under; no account has to exist.
const newUserId = () => new mongoose.Types.ObjectId().toString();
const stored = (token: string) => RefreshToken.findOne({ tokenHash: sha256(token) }).lean();
const invalidRefreshToken = { status: 401, code: 'invalid-refresh-token' };

describe('a refresh-token family ends familyMaxSeconds after its login, however often it is rotated', () => {
  test('each rotation expires at the TTL or at the family’s end, whichever is first, and says so in expiresIn', async () => {
    const clock = testClock();
    const tokens = createRefreshTokens({ ttlSeconds: DAY, familyMaxSeconds: 3 * DAY, now: clock.now });
    const login = clock.now();
    let current = await tokens.issue(newUserId());
    const lifetimes = [current.expiresIn];

    for (let rotation = 0; rotation < 3; rotation += 1) {
      clock.advance(20 * HOUR);
      current = await tokens.rotate(current.token);
      lifetimes.push(current.expiresIn);
    }

    // At 0 h, 20 h and 40 h a full day is left; at 60 h only the family's last 12 hours.
    expect(lifetimes).toEqual([DAY, DAY, DAY, 12 * HOUR]);
    expect(current.expiresAt.getTime()).toBe(login.getTime() + 3 * DAY * 1000);
    const last = await stored(current.token);
    expect(last?.expiresAt.getTime()).toBe(login.getTime() + 3 * DAY * 1000);
    expect(last?.familyStartedAt?.getTime()).toBe(login.getTime());
  });

  test('a rotation after the family’s end answers 401 invalid-refresh-token and issues nothing, though the thief kept refreshing', async () => {
    const clock = testClock();
    const tokens = createRefreshTokens({ ttlSeconds: DAY, familyMaxSeconds: 3 * DAY, now: clock.now });
    let current = await tokens.issue(newUserId());
    for (let rotation = 0; rotation < 3; rotation += 1) {
      clock.advance(20 * HOUR);
      current = await tokens.rotate(current.token);
    }
    const family = (await stored(current.token))?.family;

    clock.advance(12 * HOUR + 1);

    await expect(tokens.rotate(current.token)).rejects.toMatchObject(invalidRefreshToken);
    expect(await RefreshToken.countDocuments({ family })).toBe(4);
    // Refused, not claimed: presenting it again is not mistaken for reuse.
    expect((await stored(current.token))?.usedAt).toBeNull();
    await expect(tokens.rotate(current.token)).rejects.toMatchObject(invalidRefreshToken);
  });

  test('a lower familyMaxSeconds applies to logins already under way, not only to new ones', async () => {
    const clock = testClock();
    const before = createRefreshTokens({ ttlSeconds: 14 * DAY, familyMaxSeconds: 30 * DAY, now: clock.now });
    const after = createRefreshTokens({ ttlSeconds: DAY, familyMaxSeconds: 2 * DAY, now: clock.now });
    const issued = await before.issue(newUserId());

    clock.advance(2 * DAY + 1);

    await expect(after.rotate(issued.token)).rejects.toMatchObject(invalidRefreshToken);
  });

  test('a token stored before families had a start counts from its createdAt, and its successor carries that start', async () => {
    const clock = testClock();
    const tokens = createRefreshTokens({ ttlSeconds: DAY, familyMaxSeconds: 3 * DAY, now: clock.now });
    const asBefore = async (createdAt: Date) => {
      const issued = await tokens.issue(newUserId());
      await RefreshToken.collection.updateOne(
        { tokenHash: sha256(issued.token) },
        { $unset: { familyStartedAt: '' }, $set: { createdAt } },
      );
      return issued.token;
    };
    const recent = await asBefore(new Date(clock.now().getTime() - 2 * DAY * 1000));
    const old = await asBefore(new Date(clock.now().getTime() - 3 * DAY * 1000 - 1));

    const successor = await tokens.rotate(recent);

    expect(successor.expiresIn).toBe(DAY);
    expect((await stored(successor.token))?.familyStartedAt?.getTime()).toBe(clock.now().getTime() - 2 * DAY * 1000);
    await expect(tokens.rotate(old)).rejects.toMatchObject(invalidRefreshToken);
  });

  test('a TTL longer than the family’s lifetime is refused when the store is built', () => {
    expect(() => createRefreshTokens({ ttlSeconds: 14 * DAY, familyMaxSeconds: 7 * DAY })).toThrow(ConfigError);
    expect(() => createRefreshTokens({ ttlSeconds: 14 * DAY, familyMaxSeconds: 7 * DAY })).toThrow(/REFRESH_FAMILY_MAX_SECONDS/);
  });
});
