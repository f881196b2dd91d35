import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import {
  ExpenseId,
  ExpenseInput,
  ExpenseListQuery,
  ExpensePage,
  ExpensePatch,
  ExpenseView,
  Summary,
  SummaryQuery,
} from './expenses.schemas.ts';
import { createExpense, deleteExpense, listExpenses, readExpense, updateExpense } from './expenses.service.ts';
import { summarize } from './summary.ts';

const creating = { body: ExpenseInput };
const listing = { query: ExpenseListQuery };
const summarizing = { query: SummaryQuery };
const byId = { params: ExpenseId };
const patching = { params: ExpenseId, body: ExpensePatch };

// /summary comes before /:id, or "summary" would be read (and refused) as an id.
export function expensesRoutes({ access }: { access: AppAccess }): ApiRouter {
  return new ApiRouter('expenses')
    .get(
      '/summary',
      { summary: 'My totals in one currency, by category and by UTC month (from inclusive, to exclusive)', responses: { 200: Summary } },
      validate(summarizing),
      access.authenticate(),
      access.authorize('expenses:read'),
      summary,
    )
    .get(
      '/',
      {
        summary: 'My expenses, newest first: filter by category, currency, from (inclusive), to (exclusive)',
        responses: { 200: ExpensePage },
      },
      validate(listing),
      access.authenticate(),
      access.authorize('expenses:read'),
      list,
    )
    .post(
      '/',
      { summary: 'Record an expense in minor units', responses: { 201: ExpenseView } },
      validate(creating),
      access.authenticate(),
      access.authorize('expenses:write'),
      create,
    )
    .get(
      '/:id',
      { summary: 'Read one of my expenses', responses: { 200: ExpenseView } },
      validate(byId),
      access.authenticate(),
      access.authorize('expenses:read'),
      read,
    )
    .patch(
      '/:id',
      { summary: 'Change some fields of one of my expenses', responses: { 200: ExpenseView } },
      validate(patching),
      access.authenticate(),
      access.authorize('expenses:write'),
      update,
    )
    .delete(
      '/:id',
      { summary: 'Delete one of my expenses', responses: { 204: 'deleted' } },
      validate(byId),
      access.authenticate(),
      access.authorize('expenses:write'),
      remove,
    );
}

async function summary(req: ValidRequest<typeof summarizing>, res: Response) {
  res.json(await summarize(principalOf(req), req.query));
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  res.json(await listExpenses(principalOf(req), req.query));
}

async function create(req: ValidRequest<typeof creating>, res: Response) {
  const expense = await createExpense(principalOf(req), req.body);
  res.status(201).location(`${req.baseUrl}/${expense.id}`).json(expense);
}

async function read(req: ValidRequest<typeof byId>, res: Response) {
  res.json(await readExpense(principalOf(req), req.params.id));
}

async function update(req: ValidRequest<typeof patching>, res: Response) {
  res.json(await updateExpense(principalOf(req), req.params.id, req.body));
}

async function remove(req: ValidRequest<typeof byId>, res: Response) {
  await deleteExpense(principalOf(req), req.params.id);
  res.status(204).end();
}
