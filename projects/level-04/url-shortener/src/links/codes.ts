import { randomBytes } from 'node:crypto';

export const ALIAS_PATTERN = /^[A-Za-z0-9_-]{3,32}$/;
export const CODE_LENGTH = 7;

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// The largest multiple of 62 a byte can hold: bytes at or above it are skipped, so every
// character is equally likely (`byte % 62` alone would favour the first 8).
const UNBIASED_LIMIT = 248;

/** A random base62 code from the operating system's CSPRNG: 62^7 ≈ 3.5 × 10^12 codes at length 7. */
export function randomCode(length = CODE_LENGTH): string {
  let code = '';
  while (code.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_LIMIT && code.length < length) code += BASE62[byte % 62];
    }
  }
  return code;
}

/**
 * Words an alias may not be, in any case: the service's own paths (a link at /docs would hide
 * the docs, or the reverse) and names that would pass for the service speaking.
 */
export const RESERVED_ALIASES: ReadonlySet<string> = new Set([
  'admin',
  'api',
  'auth',
  'docs',
  'health',
  'links',
  'login',
  'logout',
  'openapi',
  'ready',
  'signup',
  'static',
  'stats',
  'www',
]);

export const isReserved = (alias: string) => RESERVED_ALIASES.has(alias.toLowerCase());
