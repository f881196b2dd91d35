import { notFound } from '@hub/core';
import { Counter, type CounterDocument } from './counter.model.ts';
import type { CounterView } from './counters.schemas.ts';

const toView = (counter: CounterDocument): CounterView => ({
  name: counter.name,
  value: counter.value,
  updatedAt: counter.updatedAt.toISOString(),
});

export async function listCounters(limit: number): Promise<CounterView[]> {
  const counters = await Counter.find().sort({ name: 1 }).limit(limit);
  return counters.map(toView);
}

export async function readCounter(name: string): Promise<CounterView> {
  const counter = await Counter.findOne({ name });
  if (!counter) throw notFound(`No counter named ${name}.`);
  return toView(counter);
}

/**
 * Adds `by` (negative to subtract) in ONE database operation: MongoDB applies `$inc` to the
 * stored value under its own lock, so concurrent calls never overwrite each other.
 * The first call for a name creates the counter (upsert).
 */
export async function addToCounter(name: string, by: number): Promise<CounterView> {
  const add = () => Counter.findOneAndUpdate({ name }, { $inc: { value: by } }, { upsert: true, returnDocument: 'after' });
  let counter: CounterDocument | null;
  try {
    counter = await add();
  } catch (error) {
    // Two first-ever calls can both try to insert; the unique index lets one win, then $inc applies.
    if ((error as { code?: number }).code !== 11000) throw error;
    counter = await add();
  }
  if (!counter) throw new Error('upsert returned no document');
  return toView(counter);
}

/**
 * Subtracts `by` from an existing counter, in one `$inc` like addToCounter(). An unknown
 * counter is a 404 and nothing is created: only increment brings a counter into being, so a
 * mistyped name cannot leave a counter at −1 behind. The value may go below zero.
 */
export async function subtractFromCounter(name: string, by: number): Promise<CounterView> {
  const counter = await Counter.findOneAndUpdate({ name }, { $inc: { value: -by } }, { returnDocument: 'after' });
  if (!counter) throw notFound(`No counter named ${name}; create it with POST /counters/${name}/increment first.`);
  return toView(counter);
}

export async function resetCounter(name: string): Promise<CounterView> {
  const counter = await Counter.findOneAndUpdate({ name }, { $set: { value: 0 } }, { returnDocument: 'after' });
  if (!counter) throw notFound(`No counter named ${name}.`);
  return toView(counter);
}

/**
 * ⚠ TEACHING EXAMPLE — DO NOT COPY. Reads the value, adds in JavaScript, writes the sum back.
 * Two requests that read the same value both write value + by, and one update is lost.
 * The test `naive read-modify-write loses updates` proves it.
 */
export async function naiveIncrement(name: string, by: number): Promise<CounterView> {
  const counter = await Counter.findOne({ name });
  if (!counter) throw notFound(`No counter named ${name}; create it with POST /counters/${name}/increment first.`);
  counter.value = counter.value + by;
  await counter.save();
  return toView(counter);
}
