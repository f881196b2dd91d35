import { AppError, hashedKey, hashPassword, logger, newOpaqueToken, sha256, User, type Mailer, type RefreshTokens } from '@hub/core';
import { ResetToken } from './reset-token.model.ts';
import { passwordChangedMail, resetLink, resetMail } from './reset.mail.ts';
import type { ResetBody, ResetTokenStatus } from './reset.schemas.ts';

export interface ResetDeps {
  config: { RESET_URL: string; RESET_TTL_SECONDS: number; BCRYPT_COST: number };
  mailer: Mailer;
  /** Reset mails per email and window (FORGOT_MAX_MAILS_PER_ACCOUNT), whoever asks. */
  mailQuota: { take(key: string): Promise<boolean> };
  refreshTokens: RefreshTokens;
  now: () => Date;
}

// Unknown, used and expired tokens get the same answer: the caller learns only "ask for a new link".
const invalidResetToken = () =>
  new AppError(400, 'invalid-reset-token', 'This reset link is not valid: it is unknown, already used or expired. Ask for a new one.');

/** The forgot/reset use cases. Tokens are opaque, stored as SHA-256 only, single use, and expire. */
export function createPasswordResets({ config, mailer, mailQuota, refreshTokens, now }: ResetDeps) {
  const usable = (token: string) => ({ tokenHash: sha256(token), usedAt: null, expiresAt: { $gt: now() } });

  return {
    /**
     * Forgot password. Returns before any per-account work: the quota, the lookup, the token and
     * the mail all happen in the background, so a known and an unknown email look the same to
     * the caller, and so does an email whose mail quota is used up.
     */
    requestReset(email: string): void {
      mailer.sendLater(async () => {
        // Counted for unknown emails too, before the lookup: the quota says nothing about who exists.
        if (!(await mailQuota.take(hashedKey(email)))) {
          logger.warn('reset mail not sent: the mail quota for this email is used up');
          return undefined;
        }
        const user = await User.findOne({ email });
        if (!user) return undefined;
        const token = newOpaqueToken();
        await ResetToken.create({
          tokenHash: sha256(token),
          user: user._id,
          expiresAt: new Date(now().getTime() + config.RESET_TTL_SECONDS * 1000),
        });
        return resetMail({
          to: user.email,
          link: resetLink(config.RESET_URL, token),
          validMinutes: Math.round(config.RESET_TTL_SECONDS / 60),
        });
      });
    },

    /** Following the link: says whether the token still works, without spending it. */
    async inspect(token: string): Promise<ResetTokenStatus> {
      const found = await ResetToken.findOne(usable(token));
      if (!found) throw invalidResetToken();
      return { valid: true, expiresAt: found.expiresAt.toISOString() };
    },

    /** Sets the new password. Of many requests with one token, the single conditional update lets exactly one through. */
    async reset({ token, password }: ResetBody): Promise<void> {
      const claimed = await ResetToken.findOneAndUpdate(usable(token), { $set: { usedAt: now() } });
      if (!claimed) throw invalidResetToken();
      const user = await User.findByIdAndUpdate(claimed.user, { $set: { passwordHash: await hashPassword(password, config.BCRYPT_COST) } });
      if (!user) throw invalidResetToken();
      // Links mailed earlier would otherwise still change the password again.
      await ResetToken.updateMany({ user: user._id, usedAt: null }, { $set: { usedAt: now() } });
      await refreshTokens.revokeAllFor(user.id as string);
      mailer.sendLater(async () => passwordChangedMail({ to: user.email, at: now() }));
    },
  };
}
export type PasswordResets = ReturnType<typeof createPasswordResets>;
