import { createHash, randomBytes, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { unauthorized } from '../auth.ts';
import { ConfigError } from '../config.ts';
import { logger } from '../logger.ts';

const refreshTokenSchema = new mongoose.Schema(
  {
    // SHA-256 of the token: a leaked collection holds nothing a client could present.
    tokenHash: { type: String, required: true, unique: true },
    user: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    // Every token rotated from the same login shares a family; reuse of any one revokes them all.
    family: { type: String, required: true, index: true },
    // When the family's login happened, copied to every successor: the family ends a fixed time after it.
    // Tokens stored before families had an end lack it; their createdAt stands in (see rotate).
    familyStartedAt: { type: Date },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);
// Cleanup only: validity is always checked in the query (expiresAt > now), never left to the TTL monitor.
refreshTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 7 * 86_400 });

export const RefreshToken = mongoose.model('RefreshToken', refreshTokenSchema);

/** 32 random bytes as base64url: what the client holds. Only its SHA-256 is ever stored. */
export const newOpaqueToken = (): string => randomBytes(32).toString('base64url');
export const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
  /** Seconds until expiresAt, by the same clock that set it (an injected one in tests). */
  expiresIn: number;
}

const reused = () =>
  unauthorized('This refresh token was already used; every session from that login is now signed out.', undefined, 'refresh-token-reused');
const invalid = () => unauthorized('The refresh token is not valid, has expired or was revoked.', undefined, 'invalid-refresh-token');

export interface RefreshTokenOptions {
  /** How long an unused token stays valid (REFRESH_TTL_SECONDS). */
  ttlSeconds: number;
  /** How long after its login a family ends, however often it is rotated (REFRESH_FAMILY_MAX_SECONDS). */
  familyMaxSeconds: number;
  now?: () => Date;
}

/**
 * Opaque refresh tokens, stored hashed and rotated on every use. Presenting one that was
 * already used means two parties hold it (one of them a thief): the whole family is revoked,
 * including the token the first use handed out. A family also ends `familyMaxSeconds` after
 * its login, so a thief who refreshes before the owner does cannot keep a login alive forever.
 */
export function createRefreshTokens({ ttlSeconds, familyMaxSeconds, now = () => new Date() }: RefreshTokenOptions) {
  // The same rule as session-auth's idle and absolute timeouts: a token outliving its family would be a lie.
  if (ttlSeconds > familyMaxSeconds)
    throw new ConfigError(`REFRESH_TTL_SECONDS (${ttlSeconds}) is longer than REFRESH_FAMILY_MAX_SECONDS (${familyMaxSeconds}).`);

  async function issue(userId: string, family: string = randomUUID(), familyStartedAt: Date = now()): Promise<IssuedRefreshToken> {
    const token = newOpaqueToken();
    const at = now().getTime();
    // Valid for the TTL, but never past the family's end: expiresIn then tells the client the truth.
    const expiresAt = new Date(Math.min(at + ttlSeconds * 1000, familyStartedAt.getTime() + familyMaxSeconds * 1000));
    await RefreshToken.create({ tokenHash: sha256(token), user: userId, family, familyStartedAt, expiresAt });
    return { token, expiresAt, expiresIn: Math.floor((expiresAt.getTime() - at) / 1000) };
  }

  async function revokeFamily(family: string): Promise<void> {
    await RefreshToken.updateMany({ family, revokedAt: null }, { $set: { revokedAt: now() } });
  }

  return {
    /** A new family: called at signup and login. */
    issue: (userId: string) => issue(userId),

    /** Trades a valid refresh token for a new one in the same family; the old one is spent. */
    async rotate(token: string): Promise<IssuedRefreshToken & { userId: string }> {
      const tokenHash = sha256(token);
      const at = now();
      const familiesFrom = new Date(at.getTime() - familyMaxSeconds * 1000);
      // The claim is one conditional update: of two requests with the same token, exactly one matches.
      // The family's age is in the filter too, not only in expiresAt, so a lowered REFRESH_FAMILY_MAX_SECONDS
      // applies to logins already under way, and a token from before families had a start counts from its createdAt.
      const claimed = await RefreshToken.findOneAndUpdate(
        {
          tokenHash,
          usedAt: null,
          revokedAt: null,
          expiresAt: { $gt: at },
          $or: [{ familyStartedAt: { $gt: familiesFrom } }, { familyStartedAt: null, createdAt: { $gt: familiesFrom } }],
        },
        { $set: { usedAt: at } },
      );
      if (!claimed) {
        const known = await RefreshToken.findOne({ tokenHash });
        if (known?.usedAt && !known.revokedAt) {
          logger.warn('refresh token reused: revoking its family', { family: known.family, user: String(known.user) });
          await revokeFamily(known.family);
          throw reused();
        }
        throw invalid();
      }
      const userId = String(claimed.user);
      const next = await issue(userId, claimed.family, claimed.familyStartedAt ?? claimed.createdAt);
      // A reuse detected between our claim and our insert revoked the family without this token: check again.
      if (await RefreshToken.exists({ family: claimed.family, revokedAt: { $ne: null } })) {
        await revokeFamily(claimed.family);
        throw reused();
      }
      return { ...next, userId };
    },

    /** Logout: the family this token belongs to stops working. Unknown tokens are ignored. */
    async revoke(token: string): Promise<void> {
      const known = await RefreshToken.findOne({ tokenHash: sha256(token) });
      if (known) await revokeFamily(known.family);
    },

    /** Signs a user out everywhere (after a password reset): every refresh token they hold is revoked. */
    async revokeAllFor(userId: string): Promise<number> {
      const { modifiedCount } = await RefreshToken.updateMany({ user: userId, revokedAt: null }, { $set: { revokedAt: now() } });
      return modifiedCount;
    },
  };
}
export type RefreshTokens = ReturnType<typeof createRefreshTokens>;
