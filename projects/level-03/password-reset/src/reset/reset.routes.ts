import { ApiRouter, byEmailAndIp, byIp, rateLimit, validate, type SendCommand, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { PasswordResets } from './reset.service.ts';
import { FORGOT_ACCEPTED, ForgotAccepted, ForgotBody, ResetBody, ResetLinkQuery, ResetTokenStatus } from './reset.schemas.ts';

export interface ForgotLimits {
  redis: SendCommand;
  FORGOT_MAX_PER_ACCOUNT: number;
  FORGOT_MAX_PER_IP: number;
  FORGOT_WINDOW_SECONDS: number;
}

/**
 * Two limits on forgot-password, both counting every request whether or not the account exists
 * (so a 429 reveals nothing): per IP, before validation, against one client spraying addresses;
 * per email and IP (hashed, the normalised email), after validation, against one client
 * mail-bombing one inbox. Neither holds back the owner asking from elsewhere: the cap on mails
 * per email, across all IPs, is in the use case (createPasswordResets), and never refuses.
 */
export function forgotThrottle({ redis, FORGOT_MAX_PER_ACCOUNT, FORGOT_MAX_PER_IP, FORGOT_WINDOW_SECONDS: windowSeconds }: ForgotLimits) {
  return {
    perIp: rateLimit({
      name: 'forgot-ip',
      limit: FORGOT_MAX_PER_IP,
      windowSeconds,
      redis,
      by: byIp,
      detail: 'Too many reset requests from this address; try again later.',
    }),
    perAccountAndIp: rateLimit({
      name: 'forgot-account-ip',
      limit: FORGOT_MAX_PER_ACCOUNT,
      windowSeconds,
      redis,
      by: byEmailAndIp,
      detail: 'Too many reset requests for this email from this address; try again later.',
    }),
  };
}

const forgot = { body: ForgotBody };
const following = { query: ResetLinkQuery };
const resetting = { body: ResetBody };

/** Mounted at /auth/password. */
export function resetRoutes({ resets, throttle }: { resets: PasswordResets; throttle: ReturnType<typeof forgotThrottle> }): ApiRouter {
  return new ApiRouter('password reset')
    .post(
      '/forgot',
      { summary: 'Mail a reset link: the same 202 whether or not the account exists', responses: { 202: ForgotAccepted } },
      throttle.perIp,
      validate(forgot),
      throttle.perAccountAndIp,
      requestLink,
    )
    .get(
      '/reset',
      { summary: 'Check a reset link (does not use it up)', responses: { 200: ResetTokenStatus } },
      validate(following),
      checkLink,
    )
    .post(
      '/reset',
      { summary: 'Set a new password with a reset token; signs out every refresh token', responses: { 204: 'Password changed' } },
      validate(resetting),
      resetPassword,
    );

  function requestLink(req: ValidRequest<typeof forgot>, res: Response) {
    resets.requestReset(req.body.email);
    res.status(202).json(FORGOT_ACCEPTED);
  }

  async function checkLink(req: ValidRequest<typeof following>, res: Response) {
    res.set('Cache-Control', 'no-store').json(await resets.inspect(req.query.token));
  }

  async function resetPassword(req: ValidRequest<typeof resetting>, res: Response) {
    await resets.reset(req.body);
    res.status(204).end();
  }
}
