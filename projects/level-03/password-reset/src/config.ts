import { accountConfig, loginLimitConfig, mailConfig, redisConfig, refreshTokenConfig, type Config } from '@hub/core';
import { z } from 'zod';

/** Every key this service reads: the shared accounts, Redis, login limits, refresh tokens and mail, plus the reset's own. */
export const serviceConfig = {
  ...accountConfig,
  ...redisConfig,
  ...loginLimitConfig,
  ...refreshTokenConfig,
  ...mailConfig,
  RESET_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .optional()
    .describe(
      'the page the mailed link opens (the token is added as ?token=); default: this server on PORT; required and https in production',
    ),
  RESET_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900).describe('how long a reset link works'),
  FORGOT_MAX_PER_ACCOUNT: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(3)
    .describe('forgot-password requests per email from one client IP per window; then that IP gets 429 for that email'),
  FORGOT_MAX_MAILS_PER_ACCOUNT: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(5)
    .describe('reset mails per email per window, from all IPs; requests past it still get the 202 but send nothing'),
  FORGOT_MAX_PER_IP: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(20)
    .describe('forgot-password requests per client IP per window before 429'),
  FORGOT_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(3600)
    .describe('the window every forgot-password limit counts in'),
};

export type ServiceConfig = Config<typeof serviceConfig>;
