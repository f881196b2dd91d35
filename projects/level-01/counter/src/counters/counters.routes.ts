import { ApiRouter, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import { z } from 'zod';
import { CounterList, CounterName, CounterView, ListQuery, Step } from './counters.schemas.ts';
import { addToCounter, listCounters, naiveIncrement, readCounter, resetCounter, subtractFromCounter } from './counters.service.ts';

const byName = { params: CounterName };
const byNameWithStep = { params: CounterName, body: Step };
const listing = { query: ListQuery };
const noBody = { params: CounterName, body: z.strictObject({}).optional() };

/** The /counters routes; a factory like every router, though it needs nothing. */
export function countersRoutes(): ApiRouter {
  return new ApiRouter('counters')
    .get('/', { summary: 'List counters by name', responses: { 200: CounterList } }, validate(listing), list)
    .get('/:name', { summary: 'Read a counter', responses: { 200: CounterView } }, validate(byName), read)
    .post(
      '/:name/increment',
      { summary: 'Add 1..1000 atomically (creates the counter)', responses: { 200: CounterView } },
      validate(byNameWithStep),
      increment,
    )
    .post(
      '/:name/decrement',
      { summary: 'Subtract 1..1000 atomically (404 for an unknown counter)', responses: { 200: CounterView } },
      validate(byNameWithStep),
      decrement,
    )
    .post('/:name/reset', { summary: 'Set the counter back to 0', responses: { 200: CounterView } }, validate(noBody), reset)
    .post(
      '/:name/naive-increment',
      {
        summary: '⚠ Teaching only: read, add in JavaScript, save — loses updates under load',
        description: 'Kept to show the lost-update problem next to the atomic /increment. Never write code like this.',
        responses: { 200: CounterView },
      },
      validate(byNameWithStep),
      incrementNaively,
    );
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  res.json({ items: await listCounters(req.query.limit) });
}

async function read(req: ValidRequest<typeof byName>, res: Response) {
  res.json(await readCounter(req.params.name));
}

async function increment(req: ValidRequest<typeof byNameWithStep>, res: Response) {
  res.json(await addToCounter(req.params.name, req.body.by));
}

async function decrement(req: ValidRequest<typeof byNameWithStep>, res: Response) {
  res.json(await subtractFromCounter(req.params.name, req.body.by));
}

async function reset(req: ValidRequest<typeof noBody>, res: Response) {
  res.json(await resetCounter(req.params.name));
}

async function incrementNaively(req: ValidRequest<typeof byNameWithStep>, res: Response) {
  res.json(await naiveIncrement(req.params.name, req.body.by));
}
