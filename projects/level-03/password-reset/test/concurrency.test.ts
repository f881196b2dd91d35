import { User, verifyPassword } from '@hub/core';
import { signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import { login, mailedLink, resetPassword, storedResetToken, testApp } from './support.ts';

const service = testApp();

describe('POST /auth/password/reset, many at once with one token', () => {
  test("10 concurrent resets with one token: exactly one 204, nine 400s, and the password is the winner's", async () => {
    const account = await signUp(service.app);
    const { token } = await mailedLink(service, account.email);
    const passwords = Array.from({ length: 10 }, (_, n) => `candidate password number ${n}`);

    const responses = await Promise.all(passwords.map((password) => resetPassword(service.app, token, password)));

    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 204)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(9);
    for (const lost of responses.filter((response) => response.status === 400)) {
      expect(lost.body.type).toBe('urn:backend-hub:problem:invalid-reset-token');
    }
    const winner = passwords[statuses.indexOf(204)] as string;
    const { passwordHash } = (await User.findById(account.user.id).select('+passwordHash').lean()) ?? {};
    const matches = await Promise.all(passwords.map((password) => verifyPassword(password, passwordHash, service.config.BCRYPT_COST)));
    expect(passwords.filter((_, n) => matches[n])).toEqual([winner]);
    expect((await login(service.app, account.email, winner)).status).toBe(200);
    expect((await storedResetToken(token))?.usedAt).toBeInstanceOf(Date);
  });
});
