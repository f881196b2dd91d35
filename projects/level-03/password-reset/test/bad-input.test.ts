import { expectFieldProblem, signUp } from '@hub/testkit';
import { describe, expect, test } from '@jest/globals';
import request from 'supertest';
import { ResetToken } from '../src/reset/reset-token.model.ts';
import { login, mailedLink, NEW_PASSWORD, storedResetToken, testApp } from './support.ts';

const service = testApp();

describe('POST /auth/password/forgot with bad input', () => {
  test.each([
    ['the email is an operator object', { email: { $gt: '' } }],
    ['the email is missing', {}],
    ['the email is not an address', { email: 'not-an-email' }],
    ['the email is a number', { email: 42 }],
    ['the email is over 254 characters', { email: `${'a'.repeat(250)}@example.com` }],
  ])('when %s, answers 400 naming body.email, and nothing is stored or mailed', async (_case, body) => {
    const tokensBefore = await ResetToken.countDocuments();
    const mailsBefore = service.smtp.mails.length;

    const response = await request(service.app).post('/auth/password/forgot').send(body);
    await service.mailer.drain();

    expectFieldProblem(response, 'body', 'email');
    expect(await ResetToken.countDocuments()).toBe(tokensBefore);
    expect(service.smtp.mails).toHaveLength(mailsBefore);
  });
});

describe('POST /auth/password/reset with bad input', () => {
  const aToken = 'A'.repeat(43);
  test.each([
    ['the token is missing', 'token', { password: NEW_PASSWORD }],
    ['the token is an operator object', 'token', { token: { $ne: null }, password: NEW_PASSWORD }],
    ['the token is not 43 base64url characters', 'token', { token: 'abc', password: NEW_PASSWORD }],
    ['the password is missing', 'password', { token: aToken }],
    ['the password is 7 characters', 'password', { token: aToken, password: 'short12' }],
    ['the password is 73 bytes', 'password', { token: aToken, password: 'x'.repeat(73) }],
    ['the password is 19 emoji (38 characters, 76 bytes)', 'password', { token: aToken, password: '😀'.repeat(19) }],
  ])('when %s, answers 400 naming body.%s', async (_case, field, body) => {
    const response = await request(service.app).post('/auth/password/reset').send(body);

    expectFieldProblem(response, 'body', field);
  });

  test('a password that is too long is refused before the token is claimed: the link still works, the password is unchanged', async () => {
    const account = await signUp(service.app);
    const { token } = await mailedLink(service, account.email);

    const response = await request(service.app)
      .post('/auth/password/reset')
      .send({ token, password: 'x'.repeat(73) });

    expectFieldProblem(response, 'body', 'password');
    expect((await storedResetToken(token))?.usedAt).toBeNull();
    expect((await request(service.app).get('/auth/password/reset').query({ token })).status).toBe(200);
    expect((await login(service.app, account.email, account.password)).status).toBe(200);
  });
});

describe('GET /auth/password/reset with bad input', () => {
  test.each([
    ['the token is missing', ''],
    ['the token is empty', '?token='],
    ['the token is given twice', `?token=${'A'.repeat(43)}&token=${'B'.repeat(43)}`],
    ['the token is an operator (token[$ne]=x)', '?token[$ne]=x'],
  ])('when %s, answers 400 naming query.token', async (_case, query) => {
    const response = await request(service.app).get(`/auth/password/reset${query}`);

    expectFieldProblem(response, 'query', 'token');
  });
});
