import { setTimeout as sleep } from 'node:timers/promises';
import { ApiRouter, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import { EchoBody, SlowQuery, Waited } from './demo.schemas.ts';

const echoing = { body: EchoBody };
const waiting = { query: SlowQuery };

/** Routes that exist to be logged: a body with secrets, a slow answer, a crash. */
export function demoRoutes(): ApiRouter {
  return new ApiRouter('demo')
    .post(
      '/echo',
      { summary: 'Answers the JSON object it was sent (the log keeps a redacted copy)', responses: { 200: EchoBody } },
      validate(echoing),
      echo,
    )
    .get('/slow', { summary: 'Waits `ms` milliseconds, then answers', responses: { 200: Waited } }, validate(waiting), waitThenAnswer)
    .get('/fail', { summary: 'Throws an unexpected error: 500 problem+json, message hidden outside development', responses: {} }, fail);
}

function echo(req: ValidRequest<typeof echoing>, res: Response) {
  res.json(req.body);
}

async function waitThenAnswer(req: ValidRequest<typeof waiting>, res: Response) {
  const { ms } = req.query;
  const clientLeft = new AbortController();
  res.once('close', () => clientLeft.abort());
  try {
    await sleep(ms, undefined, { signal: clientLeft.signal });
  } catch (error) {
    if (clientLeft.signal.aborted) return; // nobody is left to answer
    throw error;
  }
  res.json({ waitedMs: ms });
}

function fail(): never {
  // The message stands for what a real crash carries: internals a client must never see.
  throw new Error('Demo crash: connection to db-internal:5432 refused for user admin');
}
