import { describe, expect, test } from '@jest/globals';
import express from 'express';
import { runPostmanCollection } from '../src/index.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}.postman_collection.json`, import.meta.url).pathname;

function greetingApp() {
  const app = express();
  app.get('/greeting', (_req, res) => {
    res.json({ greeting: 'hello' });
  });
  app.get('/teapot', (_req, res) => {
    res.status(418).json({ short: true, stout: true });
  });
  return app;
}

describe('runPostmanCollection()', () => {
  test('when every assertion passes, resolves with the number of requests and assertions, variables passed in', async () => {
    const result = await runPostmanCollection(greetingApp(), fixture('passing'), { expectedGreeting: 'hello' });

    expect(result).toEqual({ requests: 2, assertions: 3 });
  });

  test('when the passed-in variable does not match, the assertion that reads it fails the run', async () => {
    await expect(runPostmanCollection(greetingApp(), fixture('passing'), { expectedGreeting: 'bonjour' })).rejects.toThrow(
      /failed:\n- Greeting: greets with the variable passed in: expected 'hello' to equal 'bonjour'/,
    );
  });

  test('when an assertion fails, rejects naming the request, the assertion and why', async () => {
    const run = runPostmanCollection(greetingApp(), fixture('failing'));

    await expect(run).rejects.toThrow(
      /^Postman collection .*failing\.postman_collection\.json failed:\n- Teapot: the teapot brews coffee: expected response to have status code 200 but got 418$/,
    );
  });

  test('when the collection asserts nothing, rejects: a run that checks nothing proves nothing', async () => {
    await expect(runPostmanCollection(greetingApp(), fixture('no-assertions'))).rejects.toThrow(/has no pm\.test assertions/);
  });

  test('a request to a non-loopback host fails the run (the network block applies to newman too)', async () => {
    await expect(runPostmanCollection(greetingApp(), fixture('unreachable'))).rejects.toThrow(
      /Outside world: .*Outbound network is blocked in tests/,
    );
  });

  test('when the collection file does not exist, rejects', async () => {
    await expect(runPostmanCollection(greetingApp(), fixture('missing'))).rejects.toThrow();
  });
});
