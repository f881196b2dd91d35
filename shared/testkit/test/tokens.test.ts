import { describe, expect, test } from '@jest/globals';
import { createTokenService } from '@hub/core';
import jwt from 'jsonwebtoken';
import { testTokens } from '../src/index.ts';

const keys = { secret: 'the-test-secret-is-long-enough-0123456789', issuer: 'kit-issuer', audience: 'kit-audience' };
const tokens = testTokens(keys);
const bob = { id: 'user-bob', role: 'reader' };
const service = createTokenService({ ...keys, ttlSeconds: 900 });
const now = () => Math.floor(Date.now() / 1000);

function decode(token: string) {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') throw new Error(`not a JWT: ${token}`);
  return { header: decoded.header, payload: decoded.payload, signature: decoded.signature };
}
const strictly = { algorithms: ['HS256' as const], issuer: keys.issuer, audience: keys.audience };

describe('testTokens()', () => {
  test('valid: HS256, signed with the secret, carrying subject, role, issuer, audience and a 5-minute expiry', () => {
    const token = tokens.valid(bob);
    const { header, payload } = decode(token);

    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 'user-bob', role: 'reader', iss: 'kit-issuer', aud: 'kit-audience' });
    expect(Math.abs((payload.exp ?? 0) - (now() + 300))).toBeLessThanOrEqual(2);
    expect(() => jwt.verify(token, keys.secret, strictly)).not.toThrow();
    expect(service.verify(token)).toEqual(bob);
  });

  test('expired: otherwise valid, but its expiry is in the past', () => {
    const token = tokens.expired(bob);

    expect(decode(token).payload.exp).toBeLessThan(now());
    expect(() => jwt.verify(token, keys.secret, strictly)).toThrow(jwt.TokenExpiredError);
    expect(() => jwt.verify(token, keys.secret, { ...strictly, ignoreExpiration: true })).not.toThrow();
  });

  test('wrongSecret: fails the signature check with the secret, passes with another key', () => {
    const token = tokens.wrongSecret(bob);

    expect(() => jwt.verify(token, keys.secret, strictly)).toThrow('invalid signature');
    expect(() => jwt.verify(token, `${keys.secret}-but-not-quite`, strictly)).not.toThrow();
  });

  test('wrongAlgorithm: correctly signed with the secret, but with HS512', () => {
    const token = tokens.wrongAlgorithm(bob);

    expect(decode(token).header.alg).toBe('HS512');
    expect(() => jwt.verify(token, keys.secret, { ...strictly, algorithms: ['HS512'] })).not.toThrow();
    expect(() => jwt.verify(token, keys.secret, strictly)).toThrow('invalid algorithm');
  });

  test('wrongAudience and wrongIssuer: valid signatures whose aud or iss is someone else', () => {
    const audience = tokens.wrongAudience(bob);
    const issuer = tokens.wrongIssuer(bob);

    expect(decode(audience).payload).toMatchObject({ aud: 'kit-audience-elsewhere', iss: 'kit-issuer' });
    expect(decode(issuer).payload).toMatchObject({ aud: 'kit-audience', iss: 'kit-issuer-elsewhere' });
    expect(() => jwt.verify(audience, keys.secret, strictly)).toThrow(/audience invalid/);
    expect(() => jwt.verify(issuer, keys.secret, strictly)).toThrow(/issuer invalid/);
    expect(() => jwt.verify(audience, keys.secret, { algorithms: ['HS256'] })).not.toThrow();
  });

  test('longLived and stale: valid signatures and not expired, but meant to live longer than a day', () => {
    const longLived = decode(tokens.longLived(bob)).payload;
    const stale = decode(tokens.stale(bob)).payload;

    expect(Number(longLived.exp) - Number(longLived.iat)).toBe(3650 * 86_400);
    expect(Number(stale.iat)).toBeLessThanOrEqual(now() - 86_400);
    expect(Number(stale.exp)).toBeGreaterThan(now());
    expect(() => jwt.verify(tokens.longLived(bob), keys.secret, strictly)).not.toThrow();
    expect(() => jwt.verify(tokens.stale(bob), keys.secret, strictly)).not.toThrow();
  });

  test('algNone: an unsigned token with alg none and otherwise valid claims', () => {
    const token = tokens.algNone(bob);
    const { header, payload, signature } = decode(token);

    expect(token.endsWith('.')).toBe(true);
    expect(header).toEqual({ alg: 'none', typ: 'JWT' });
    expect(signature).toBe('');
    expect(payload).toMatchObject({ sub: 'user-bob', role: 'reader', iss: 'kit-issuer', aud: 'kit-audience' });
    expect(payload.exp).toBeGreaterThan(now());
  });

  test.each(['expired', 'wrongSecret', 'wrongAlgorithm', 'wrongAudience', 'wrongIssuer', 'algNone', 'longLived', 'stale'] as const)(
    'the shared token service refuses %s with a 401',
    (kind) => {
      expect(() => service.verify(tokens[kind](bob))).toThrow(expect.objectContaining({ status: 401, code: 'unauthorized' }));
    },
  );
});
