import { afterAll, beforeAll } from '@jest/globals';
import type { CaughtMail, MailCatcher } from '@hub/engines';

/**
 * A real SMTP server for this test file (smtp-server on a loopback port): point the service's
 * SMTP_URL at `url`, then `await smtp.next('ada@example.com')` for the mail it sent.
 */
export function useTestSmtp(): {
  readonly url: string;
  readonly mails: readonly CaughtMail[];
  next(to: string, timeoutMs?: number): Promise<CaughtMail>;
} {
  let catcher: MailCatcher | undefined;
  const started = () => {
    if (!catcher) throw new Error('useTestSmtp(): the server runs from beforeAll on');
    return catcher;
  };
  beforeAll(async () => {
    // Imported here, not at the top: its mail parser costs ~0.4 s to load, in every test file
    // that imports @hub/testkit, mail or not.
    const { startMailCatcher } = await import('@hub/engines');
    catcher = await startMailCatcher();
  });
  afterAll(async () => {
    await catcher?.stop();
  });
  return {
    get url() {
      return started().url;
    },
    get mails() {
      return started().mails;
    },
    next: (to, timeoutMs) => started().next(to, timeoutMs),
  };
}
