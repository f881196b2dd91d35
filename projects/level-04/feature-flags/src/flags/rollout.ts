import { createHash } from 'node:crypto';

/** A rollout's resolution: 10,000 buckets, so percentages go in steps of 0.01 %. */
export const BUCKETS = 10_000;

/**
 * The bucket (0 to 9,999) a user falls in for one flag: the first 32 bits of
 * SHA-1(`flagKey:salt:userId`), modulo 10,000. The same inputs give the same bucket on every
 * instance and after every restart, so a rollout is sticky; the flag's key and salt in the
 * hash give each flag its own shuffle, so the same 10 % of users are not always first.
 */
export function bucketOf(flagKey: string, salt: string, userId: string): number {
  const digest = createHash('sha1').update(`${flagKey}:${salt}:${userId}`).digest();
  return digest.readUInt32BE(0) % BUCKETS;
}

/**
 * Is this bucket inside a rollout of `percentage` %? Buckets 0 up to the threshold are in, so
 * raising the percentage only adds buckets: nobody who had the variant loses it.
 */
export const inRollout = (bucket: number, percentage: number): boolean => bucket < Math.round(percentage * (BUCKETS / 100));
