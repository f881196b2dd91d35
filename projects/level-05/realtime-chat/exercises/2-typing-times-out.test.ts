// Exercise 2: typing stops on its own, 5 seconds after the last `typing: true`.
import { beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { useTestDatabase, type TestAccount } from '@hub/testkit';
import { accounts, aRoom, emit, next, ok, useChat } from '../test/support.ts';

useTestDatabase();
const chat = useChat();
let url: string;
let alice: TestAccount;
let bob: TestAccount;
let roomId: string;

beforeAll(async () => {
  const started = await chat.instance();
  url = started.url;
  [alice, bob] = await accounts(started.app, 2);
  roomId = await aRoom(started.app, alice, [bob]);
});
beforeEach(() => chat.clock.reset());

async function typistAndWatcher() {
  const [typist, watcher] = await Promise.all([chat.connected(url, alice), chat.connected(url, bob)]);
  await ok(emit(typist, 'room:join', { roomId }));
  await ok(emit(watcher, 'room:join', { roomId }));
  return { typist, watcher };
}

describe('typing times out', () => {
  test('5 seconds after typing: true, the room is told typing: false', async () => {
    const { typist, watcher } = await typistAndWatcher();
    const started = next(watcher, 'typing');
    await ok(emit(typist, 'typing', { roomId, typing: true }));
    await started;
    const stopped = next(watcher, 'typing', 1_000);

    chat.clock.advance(5_000);

    expect(await stopped).toEqual({ roomId, userId: alice.user.id, typing: false });
  });

  test('a new typing: true starts the 5 seconds again', async () => {
    const { typist, watcher } = await typistAndWatcher();
    await ok(emit(typist, 'typing', { roomId, typing: true }));
    chat.clock.advance(4_000);
    await ok(emit(typist, 'typing', { roomId, typing: true }));
    const changes: Array<{ typing: boolean }> = [];
    watcher.on('typing', (change: { typing: boolean }) => change.typing === false && changes.push(change));

    chat.clock.advance(4_000);
    await next(watcher, 'typing', 300);
    const early = [...changes];
    chat.clock.advance(1_000);
    await next(watcher, 'typing', 1_000);

    expect(early).toEqual([]);
    expect(changes).toEqual([{ roomId, userId: alice.user.id, typing: false }]);
  });
});
