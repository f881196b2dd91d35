import { Email, newPassword } from '@hub/core';
import { z } from 'zod';

// newOpaqueToken() gives 32 random bytes in base64url: always 43 characters of [A-Za-z0-9_-].
const token = z
  .string()
  .regex(/^[\w-]{43}$/, 'must be the 43-character token from the reset link')
  .meta({ example: 'q5Vd0m3yqS4hXb9O0m2r8H1J1Zk7qf3XwYpT6aL0cQ4' });

/** POST /auth/password/forgot: the email, trimmed and lower-cased exactly as signup stores it. */
export const ForgotBody = z.strictObject({ email: Email });

/** The one answer to every accepted forgot-password request, whether or not the account exists. */
export const ForgotAccepted = z.object({ message: z.string() }).meta({ id: 'ForgotAccepted' });
export const FORGOT_ACCEPTED: z.infer<typeof ForgotAccepted> = {
  message: 'If an account exists for that email, a reset link is on its way.',
};

/** GET /auth/password/reset?token=…: what following the mailed link sends. */
export const ResetLinkQuery = z.strictObject({ token });

export const ResetTokenStatus = z
  .object({ valid: z.literal(true), expiresAt: z.iso.datetime().describe('after this moment the link stops working') })
  .meta({ id: 'ResetTokenStatus' });
export type ResetTokenStatus = z.infer<typeof ResetTokenStatus>;

/** POST /auth/password/reset: the password is checked here, before the token is spent. */
export const ResetBody = z.strictObject({ token, password: newPassword });
export type ResetBody = z.output<typeof ResetBody>;
