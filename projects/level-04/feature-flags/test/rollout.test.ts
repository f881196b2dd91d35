import { describe, expect, test } from '@jest/globals';
import { BUCKETS, bucketOf, inRollout } from '../src/flags/rollout.ts';

// Pure functions, no HTTP and no database: 100,000 users hash in well under a second.

describe('bucketOf (SHA-1 of flagKey:salt:userId, first 32 bits, modulo 10,000)', () => {
  test.each([
    ['new-checkout', 'a1b2c3d4', 'user-1', 7253],
    ['new-checkout', 'a1b2c3d4', 'user-2', 9927],
    ['new-checkout', 'e5f6a7b8', 'user-1', 3125],
    ['dark-mode', 'a1b2c3d4', 'user-1', 9786],
    ['dark-mode', '', 'alice@example.com', 3226],
  ])('%s / salt %s / %s is in bucket %i, on every instance and after every restart', (key, salt, user, bucket) => {
    expect(bucketOf(key, salt, user)).toBe(bucket);
  });

  test('the first vector is sha1("new-checkout:a1b2c3d4:user-1") = b4da7b25…, and 0xb4da7b25 mod 10,000 = 7253', () => {
    expect(0xb4da7b25 % BUCKETS).toBe(7253);
    expect(bucketOf('new-checkout', 'a1b2c3d4', 'user-1')).toBe(7253);
  });

  test('another flag or another salt shuffles the same users differently', () => {
    const users = Array.from({ length: 1000 }, (_, n) => `user-${n}`);
    const inFirst = (key: string, salt: string) => users.filter((user) => inRollout(bucketOf(key, salt, user), 10));

    const a = inFirst('flag-a', 'salt');
    const b = inFirst('flag-b', 'salt');
    const c = inFirst('flag-a', 'other-salt');

    const overlap = (x: string[], y: string[]) => x.filter((user) => y.includes(user)).length;
    // Independent 10 % samples of 1,000 overlap by about 10 users; the same sample would overlap by about 100.
    expect(overlap(a, b)).toBeLessThan(40);
    expect(overlap(a, c)).toBeLessThan(40);
  });
});

describe('a rollout over 100,000 users', () => {
  const users = Array.from({ length: 100_000 }, (_, n) => `user-${n}`);
  const buckets = users.map((user) => bucketOf('new-checkout', 'f00dfeed', user));

  test.each([1, 10, 30, 50, 99.5])('%d % gets within ±1 % of the users', (percentage) => {
    const share = (buckets.filter((bucket) => inRollout(bucket, percentage)).length / users.length) * 100;

    expect(Math.abs(share - percentage)).toBeLessThanOrEqual(1);
  });

  test('raising 30 % to 50 % keeps every user who had the flag (and adds about 20 % more)', () => {
    const at30 = new Set(users.filter((_, index) => inRollout(buckets[index] ?? -1, 30)));
    const at50 = new Set(users.filter((_, index) => inRollout(buckets[index] ?? -1, 50)));

    expect([...at30].filter((user) => !at50.has(user))).toEqual([]);
    expect(at50.size - at30.size).toBeGreaterThan(19_000);
    expect(at50.size - at30.size).toBeLessThan(21_000);
  });

  test('0 % is nobody and 100 % is everybody; 0.01 % is exactly one bucket', () => {
    expect(buckets.some((bucket) => inRollout(bucket, 0))).toBe(false);
    expect(buckets.every((bucket) => inRollout(bucket, 100))).toBe(true);
    expect(inRollout(0, 0.01)).toBe(true);
    expect(inRollout(1, 0.01)).toBe(false);
    expect(inRollout(9_999, 99.99)).toBe(false);
    expect(inRollout(9_998, 99.99)).toBe(true);
  });
});
