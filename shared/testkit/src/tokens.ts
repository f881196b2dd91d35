import type jwt from 'jsonwebtoken';
import { lazy, type Principal } from '@hub/core';

const loadJwt = lazy<typeof jwt>('jsonwebtoken');

export interface TestTokenOptions {
  secret: string;
  issuer: string;
  audience: string;
}

/**
 * Access tokens for tests: a valid one for any principal, and each kind of bad token a
 * service must refuse with 401.
 */
export function testTokens({ secret, issuer, audience }: TestTokenOptions) {
  const sign = (principal: Principal, options: jwt.SignOptions = {}, key: string = secret) =>
    loadJwt().sign({ role: principal.role }, key, {
      algorithm: 'HS256',
      subject: principal.id,
      issuer,
      audience,
      expiresIn: 300,
      ...options,
    });
  const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  return {
    valid: (principal: Principal) => sign(principal),
    expired: (principal: Principal) => sign(principal, { expiresIn: -60 }),
    wrongSecret: (principal: Principal) => sign(principal, {}, `${secret}-but-not-quite`),
    /** Same secret, another HMAC algorithm: refused because the algorithm is pinned. */
    wrongAlgorithm: (principal: Principal) => sign(principal, { algorithm: 'HS512' }),
    wrongAudience: (principal: Principal) => sign(principal, { audience: `${audience}-elsewhere` }),
    wrongIssuer: (principal: Principal) => sign(principal, { issuer: `${issuer}-elsewhere` }),
    /** Correctly signed, issued now, but valid for ten years: longer than any service's TTL, so it is refused. */
    longLived: (principal: Principal) => sign(principal, { expiresIn: '3650d' }),
    /** Correctly signed and not expired, but issued a day ago: older than any service's TTL allows. */
    stale: (principal: Principal) => {
      const issuedAt = Math.floor(Date.now() / 1000) - 86_400;
      return loadJwt().sign({ role: principal.role, iat: issuedAt, exp: issuedAt + 2 * 86_400 }, secret, {
        algorithm: 'HS256',
        subject: principal.id,
        issuer,
        audience,
      });
    },
    /** Correctly signed but without `exp`: it would be valid forever, so it is refused. */
    noExpiry: (principal: Principal) =>
      loadJwt().sign({ role: principal.role }, secret, { algorithm: 'HS256', subject: principal.id, issuer, audience }),
    /** The header and claims of a token, without checking it. */
    decode: (token: string) => {
      const [header = '', claims = ''] = token.split('.');
      const parse = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
      return { header: parse(header), claims: parse(claims) };
    },
    /** An unsigned token (`alg: none`), built by hand because jsonwebtoken will not sign one. */
    algNone: (principal: Principal) => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub: principal.id, role: principal.role, iss: issuer, aud: audience, iat: now, exp: now + 300 };
      return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
    },
  };
}
