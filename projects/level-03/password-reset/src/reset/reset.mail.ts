import { ConfigError, type Mail } from '@hub/core';

/**
 * The page the mailed link opens. Unset, it is this server on PORT (what `pnpm dev` runs). In
 * production it must be set, and https: the token in the link would otherwise cross the network readable.
 */
export function checkResetUrl({ NODE_ENV, PORT, RESET_URL }: { NODE_ENV: string; PORT: number; RESET_URL?: string | undefined }): string {
  if (NODE_ENV === 'production') {
    if (!RESET_URL) throw new ConfigError('RESET_URL is not set: production needs the https address of the reset page.');
    if (new URL(RESET_URL).protocol !== 'https:') throw new ConfigError(`RESET_URL is ${RESET_URL}: production needs https.`);
  }
  return RESET_URL ?? `http://localhost:${PORT}/auth/password/reset`;
}

/** The mailed link: RESET_URL from config plus the token. Never built from Host or X-Forwarded-Host. */
export function resetLink(resetUrl: string, token: string): string {
  const link = new URL(resetUrl);
  link.searchParams.set('token', token);
  return link.href;
}

export function resetMail({ to, link, validMinutes }: { to: string; link: string; validMinutes: number }): Mail {
  return {
    to,
    subject: 'Reset your password',
    text: [
      'Someone asked to reset the password of the account for this email address.',
      '',
      `To choose a new password, open this link within ${validMinutes} minutes. It works once:`,
      link,
      '',
      'If it was not you, ignore this mail: your password stays as it is.',
    ].join('\n'),
  };
}

export function passwordChangedMail({ to, at }: { to: string; at: Date }): Mail {
  return {
    to,
    subject: 'Your password was changed',
    text: [
      `The password of your account was changed at ${at.toISOString()} with a reset link, and every device was signed out.`,
      '',
      'If you did this, there is nothing more to do.',
      'If you did not, someone can read your mail: secure your mailbox first, then ask for a new reset link.',
    ].join('\n'),
  };
}
