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
