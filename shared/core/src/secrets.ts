/** Deciding what must never be printed: secret-looking keys, and credentials inside URLs. */

// A key is split into words (accessToken → access, token; x-api-key → x, api, key) and judged
// by them, so `passwordHash`, `JWT_SECRET` and `x-logs-key` are secrets while `passport`,
// `monkey` and `sessionCount` are not.
const SECRET_WORDS = new Set(
  ['password', 'passwd', 'passphrase', 'secret', 'token', 'authorization', 'cookie', 'credential', 'apikey', 'signature'].flatMap(
    (word) => [word, `${word}s`],
  ),
);
const SECRET_LAST_WORDS = new Set(['key', 'hash', 'pass', 'sid', 'otp']);

// Every log line asks about the same few keys: remember the answers (bounded, keys can come
// from request data).
const verdicts = new Map<string, boolean>();
const MAX_REMEMBERED = 1_000;

/** True for a key whose value must never be logged. */
export function isSecretKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = judge(key);
    if (verdicts.size < MAX_REMEMBERED) verdicts.set(key, verdict);
  }
  return verdict;
}

function judge(key: string): boolean {
  const words = key
    .split(/[^a-zA-Z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
  const last = words.at(-1) ?? '';
  return (
    words.some((word) => SECRET_WORDS.has(word)) ||
    SECRET_LAST_WORDS.has(last) ||
    (words.includes('session') && (words.length === 1 || last === 'id'))
  );
}

/** `scheme://user:password@host` → `scheme://***@host`; other strings unchanged. */
export function maskUrlCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/i, '$1***@');
}

/*
 * Judging a secret the service is given (JWT_SECRET, SESSION_SECRET, an API key): in production
 * it must be real randomness, because whoever knows it can sign tokens or cookies as anyone.
 */

/** Bytes of randomness a production secret needs: 256 bits, the size of HS256's hash (RFC 7518 §3.2). */
export const SECRET_MIN_BYTES = 32;

/** How to make a secret, as every refusal says it. */
export const HOW_TO_MAKE_A_SECRET =
  `make one with \`openssl rand -base64 ${SECRET_MIN_BYTES}\` ` +
  `or \`node -e "console.log(require('node:crypto').randomBytes(${SECRET_MIN_BYTES}).toString('base64'))"\``;

// Values this repository has published (old .env.example files, the test kit's readable test
// keys): anyone can read them, so they protect nothing.
const PUBLISHED_SECRETS = new Set([
  'change-me-to-at-least-32-random-characters',
  'change-me-to-16-or-more-chars',
  'test-secret-that-is-at-least-32-characters-long',
  'test-session-secret-at-least-32-characters',
]);
// Words that make a value a placeholder. A random base64 string of 44 characters contains one of
// these (six letters or more, any case) about once in five million tries; hex never does.
const PLACEHOLDER_WORDS = /change|replace|secret|password|example|placeholder|default/i;
const HEX = /^(?:[0-9a-f]{2})+$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/;

/**
 * Why `value` is not a production secret, or undefined when it is one: at least 32 bytes
 * written as hex or base64 (base64url too), not a published placeholder, and not patterned or
 * hand-typed. The pattern checks are what random output passes and typing does not:
 * base64 of random bytes mixes upper and lower case and spreads over its alphabet (a
 * kebab-case phrase, `aaaa…` or `abcd…` do not). A check cannot prove randomness: they catch
 * the obvious, a generated secret is the real defence.
 */
export function secretProblem(value: string): string | undefined {
  if (PUBLISHED_SECRETS.has(value) || PLACEHOLDER_WORDS.test(value)) return 'is a placeholder, not a secret';
  const hex = HEX.test(value);
  if (!hex && !BASE64.test(value)) return `must be ${SECRET_MIN_BYTES} random bytes written as base64 or hex`;
  const bytes = hex ? value.length / 2 : Math.floor((value.replace(/=+$/, '').length * 3) / 4);
  if (bytes < SECRET_MIN_BYTES) return `holds ${bytes} bytes; production needs at least ${SECRET_MIN_BYTES} random bytes`;
  // Thresholds sit well below what random output reaches: 3.4+ bits per character for 64 hex
  // digits, 4.2+ for 44 base64 characters (over 200,000 samples each).
  const mixedCase = hex || (/[a-z]/.test(value) && /[A-Z]/.test(value));
  if (!mixedCase || bitsPerCharacter(value) < (hex ? 3 : 4) || stepShare(value) > 0.5) return 'looks typed or patterned, not random';
  return undefined;
}

/** Shannon entropy of the characters of `value`, in bits per character. */
function bitsPerCharacter(value: string): number {
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / value.length) * Math.log2(count / value.length);
  return bits;
}

/** The share of neighbours that repeat or step by one (`aaaa`, `abcd`, `1234`). */
function stepShare(value: string): number {
  let steps = 0;
  for (let index = 1; index < value.length; index += 1) {
    if (Math.abs(value.charCodeAt(index) - value.charCodeAt(index - 1)) <= 1) steps += 1;
  }
  return steps / Math.max(1, value.length - 1);
}
