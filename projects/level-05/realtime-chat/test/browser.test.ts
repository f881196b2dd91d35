import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { useTestDatabase } from '@hub/testkit';
import { chromium, type Browser } from 'playwright-core';
import { accounts, aMessage, aRoom, emit, next, ok, useChat } from './support.ts';

// The browser client in a real browser: Debian's chromium, driven by playwright-core.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
useTestDatabase();
const chat = useChat();
let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium is missing at ${executablePath}: install it (apt-get install -y chromium; .ci/run does) or set CHROMIUM_PATH.`,
    );
  }
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
});

describe('the browser client at /', () => {
  test('logs in, joins a room showing its history, sends, receives, and shows typing', async () => {
    if (!browser) throw new Error('the browser did not start');
    const { url, app } = await chat.instance();
    const [alice, bob] = await accounts(app, 2);
    const roomId = await aRoom(app, alice, [bob]);
    const bobSocket = await chat.connected(url, bob);
    await ok(emit(bobSocket, 'room:join', { roomId }));
    await ok(emit(bobSocket, 'message:send', aMessage(roomId, { text: 'welcome, alice' })));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(url);
    await page.fill('#email', alice.email);
    await page.fill('#password', alice.password);
    await page.click('#login button');
    await page.locator('[data-testid="status"][data-state="connected"]').waitFor();
    await page.click('#join button');
    await page.locator('[data-testid="status"][data-state="joined"]').waitFor();
    await page.locator('[data-testid="messages"] li', { hasText: 'welcome, alice' }).waitFor();
    const typing = next(bobSocket, 'typing');
    const arriving = next<{ text: string }>(bobSocket, 'message:new');
    await page.fill('[data-testid="text"]', 'hello from the browser');
    const typed = await typing;
    await page.click('#send button');
    const received = await arriving;
    await ok(emit(bobSocket, 'message:send', aMessage(roomId, { text: 'hello back' })));
    await page.locator('[data-testid="messages"] li', { hasText: 'hello back' }).waitFor();

    expect(typed).toEqual({ roomId, userId: alice.user.id, typing: true });
    expect(received).toMatchObject({ text: 'hello from the browser', authorId: alice.user.id });
    expect(await page.locator('[data-testid="messages"] li').allTextContents()).toEqual([
      expect.stringContaining('welcome, alice'),
      expect.stringContaining('hello from the browser'),
      expect.stringContaining('hello back'),
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
