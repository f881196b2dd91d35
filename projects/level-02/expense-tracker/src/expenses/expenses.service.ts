import { notFound, ownedBy, paginate, type Page, type Principal } from '@hub/core';
import { Expense, type ExpenseRecord } from './expense.model.ts';
import type { ExpenseInput, ExpenseListQuery, ExpensePatch, ExpenseView } from './expenses.schemas.ts';

const toView = (expense: ExpenseRecord): ExpenseView => ({
  id: String(expense._id),
  amount: expense.amount,
  currency: expense.currency,
  category: expense.category,
  description: expense.description,
  spentAt: expense.spentAt.toISOString(),
  createdAt: expense.createdAt.toISOString(),
  updatedAt: expense.updatedAt.toISOString(),
});

/** `from` inclusive, `to` exclusive: an expense at exactly `to` belongs to the next range. */
export function spentBetween({ from, to }: { from?: Date | undefined; to?: Date | undefined }) {
  if (!from && !to) return {};
  return { spentAt: { ...(from ? { $gte: from } : {}), ...(to ? { $lt: to } : {}) } };
}

// Someone else's expense and an expense that does not exist get the same answer.
const noSuchExpense = (id: string) => notFound(`No expense with id ${id}.`);

export async function createExpense(principal: Principal, input: ExpenseInput): Promise<ExpenseView> {
  const expense = await Expense.create({ ...input, owner: principal.id });
  return toView(expense.toObject());
}

export async function listExpenses(
  principal: Principal,
  { category, currency, from, to, ...page }: ExpenseListQuery,
): Promise<Page<ExpenseView>> {
  const filter = {
    ...ownedBy(principal),
    ...(category ? { category } : {}),
    ...(currency ? { currency } : {}),
    ...spentBetween({ from, to }),
  };
  return paginate(Expense, { filter, sort: { spentAt: -1 }, map: toView }, page);
}

export async function readExpense(principal: Principal, id: string): Promise<ExpenseView> {
  const expense = await Expense.findOne({ _id: id, ...ownedBy(principal) }).lean<ExpenseRecord>();
  if (!expense) throw noSuchExpense(id);
  return toView(expense);
}

/** One operation: the filter states whose expense it must be, so there is no gap between check and write. */
export async function updateExpense(principal: Principal, id: string, patch: ExpensePatch): Promise<ExpenseView> {
  const expense = await Expense.findOneAndUpdate(
    { _id: id, ...ownedBy(principal) },
    { $set: patch },
    { returnDocument: 'after', runValidators: true },
  ).lean<ExpenseRecord>();
  if (!expense) throw noSuchExpense(id);
  return toView(expense);
}

export async function deleteExpense(principal: Principal, id: string): Promise<void> {
  const { deletedCount } = await Expense.deleteOne({ _id: id, ...ownedBy(principal) });
  if (deletedCount === 0) throw noSuchExpense(id);
}
