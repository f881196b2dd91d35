import type { Principal } from '@hub/core';
import mongoose from 'mongoose';
import { Expense } from './expense.model.ts';
import type { Category, Summary, SummaryQuery } from './expenses.schemas.ts';
import { spentBetween } from './expenses.service.ts';

interface Group<Key> {
  key: Key;
  total: number;
  count: number;
}

/**
 * Totals of one currency by category and by UTC month, added up by the database: two small
 * pipelines run in parallel, and only their groups (a few per category or month) reach
 * JavaScript, never the expenses themselves.
 *
 * Portable on purpose (MongoDB 7 and mongo-java-server): $match, $group with $sum (counting is
 * { $sum: 1 }; there is no $count accumulator there), $sort, $project. The month comes from
 * $dateToString with an explicit UTC timezone; $year/$month would follow the engine's clock
 * zone on mongo-java-server and move New Year's Eve into the wrong month.
 */
export async function summarize(principal: Principal, { currency, from, to }: SummaryQuery): Promise<Summary> {
  // An aggregation pipeline is not cast by mongoose: the owner must already be an ObjectId.
  const match = { $match: { owner: new mongoose.Types.ObjectId(principal.id), currency, ...spentBetween({ from, to }) } };
  const totalsBy = <Key>(key: unknown, sort: Record<string, 1 | -1>) =>
    Expense.aggregate<Group<Key>>([
      match,
      { $group: { _id: key, total: { $sum: '$amount' }, count: { $sum: 1 } } },
      { $project: { _id: 0, key: '$_id', total: 1, count: 1 } },
      { $sort: sort },
    ]);

  const [categories, months] = await Promise.all([
    totalsBy<Category>('$category', { total: -1, key: 1 }),
    totalsBy<string>({ $dateToString: { format: '%Y-%m', date: '$spentAt', timezone: 'UTC' } }, { key: 1 }),
  ]);

  return {
    currency,
    from: from?.toISOString() ?? null,
    to: to?.toISOString() ?? null,
    // At most one group per category: adding these few numbers is not loading the expenses.
    total: categories.reduce((sum, { total }) => sum + total, 0),
    byCategory: categories.map(({ key, total, count }) => ({ category: key, total, count })),
    byMonth: months.map(({ key, total, count }) => ({ month: key, total, count })),
  };
}
