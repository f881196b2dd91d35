import { AppError, notFound, ownedBy, paginate, type Page, type Principal } from '@hub/core';
import { PRIORITY_RANK, Task, type TaskRecord } from './task.model.ts';
import type { BulkResult, TaskCreate, TaskListQuery, TaskPatch, TaskView } from './tasks.schemas.ts';

/** The version a write expects (from If-Match), or undefined for "any version". */
export type ExpectedVersion = number | undefined;

const toView = (task: TaskRecord): TaskView => ({
  id: String(task._id),
  title: task.title,
  ...(task.notes !== undefined && task.notes !== null ? { notes: task.notes } : {}),
  status: task.status,
  priority: task.priority,
  dueDate: task.dueDate ? task.dueDate.toISOString() : null,
  completedAt: task.completedAt ? task.completedAt.toISOString() : null,
  version: task.version,
  createdAt: task.createdAt.toISOString(),
  updatedAt: task.updatedAt.toISOString(),
});

// paginate() ends each order with _id (descending unless given), so equal timestamps keep one order.
const SORTS = {
  '-createdAt': { createdAt: -1 },
  createdAt: { createdAt: 1, _id: 1 },
  '-priority': { priorityRank: -1, createdAt: -1 },
  priority: { priorityRank: 1, createdAt: 1, _id: 1 },
} as const;

const noSuchTask = (id: string) => notFound(`You have no task ${id}.`);

export async function createTask(principal: Principal, input: TaskCreate): Promise<TaskView> {
  const { dueDate, priority = 'normal', status = 'todo', ...rest } = input;
  const task = await Task.create({
    ...rest,
    owner: principal.id,
    status,
    priority,
    priorityRank: PRIORITY_RANK[priority],
    ...(dueDate ? { dueDate: new Date(dueDate) } : {}),
    ...(status === 'done' ? { completedAt: new Date() } : {}),
  });
  return toView(task.toObject());
}

export async function listTasks(principal: Principal, query: TaskListQuery): Promise<Page<TaskView>> {
  const { status, overdue, dueFrom, dueTo, sort, ...page } = query;
  const now = new Date();
  const clauses: Array<Record<string, unknown>> = [ownedBy(principal)];
  if (status) clauses.push({ status });
  if (overdue === true) clauses.push({ dueDate: { $lt: now }, status: { $ne: 'done' } });
  // `dueDate: null` also matches tasks without a due date.
  if (overdue === false) clauses.push({ $or: [{ dueDate: null }, { dueDate: { $gte: now } }, { status: 'done' }] });
  if (dueFrom) clauses.push({ dueDate: { $gte: new Date(dueFrom) } });
  if (dueTo) clauses.push({ dueDate: { $lt: new Date(dueTo) } });
  return paginate(Task, { filter: { $and: clauses }, sort: SORTS[sort], map: toView }, page);
}

export async function readTask(principal: Principal, id: string): Promise<TaskView> {
  const task = await Task.findOne({ _id: id, ...ownedBy(principal) }).lean<TaskRecord>();
  if (!task) throw noSuchTask(id);
  return toView(task);
}

/**
 * Applies `changes` in ONE conditional update whose filter holds the precondition: the task is
 * the caller's and (with If-Match) still at `expected`. Two writers that read version 3 both
 * send { version: 3 }; the database applies the first, and the second then matches nothing.
 */
export async function updateTask(principal: Principal, id: string, changes: TaskPatch, expected: ExpectedVersion): Promise<TaskView> {
  const filter = { _id: id, ...ownedBy(principal), ...(expected === undefined ? {} : { version: expected }) };
  const task = await Task.findOneAndUpdate(filter, toUpdate(changes, new Date()), { returnDocument: 'after' }).lean<TaskRecord>();
  if (!task) throw await whyNothingMatched(principal, id, expected);
  return toView(task);
}

/** Deletes with the same precondition as updateTask: caller's task, at `expected` if given. */
export async function deleteTask(principal: Principal, id: string, expected: ExpectedVersion): Promise<void> {
  const filter = { _id: id, ...ownedBy(principal), ...(expected === undefined ? {} : { version: expected }) };
  const { deletedCount } = await Task.deleteOne(filter);
  if (deletedCount === 0) throw await whyNothingMatched(principal, id, expected);
}

/**
 * Marks the caller's tasks among `ids` done in ONE updateMany. Other users' ids never match
 * the owner filter, and tasks already done are left alone so their completedAt keeps its time.
 */
export async function completeTasks(principal: Principal, ids: string[]): Promise<BulkResult> {
  const result = await Task.updateMany(
    { _id: { $in: ids }, ...ownedBy(principal), status: { $ne: 'done' } },
    { $set: { status: 'done', completedAt: new Date() }, $inc: { version: 1 } },
  );
  return { matched: result.matchedCount, modified: result.modifiedCount };
}

/**
 * The conditional write matched nothing: 404 when the caller has no such task (someone else's
 * is "no such task" too), 412 when it exists at another version. This read only explains the
 * refusal; it decides nothing, the write already did.
 */
async function whyNothingMatched(principal: Principal, id: string, expected: ExpectedVersion): Promise<AppError> {
  const current =
    expected === undefined
      ? null
      : await Task.findOne({ _id: id, ...ownedBy(principal) }, { version: 1 }).lean<Pick<TaskRecord, 'version'>>();
  if (!current) return noSuchTask(id);
  return new AppError(
    412,
    'precondition-failed',
    `Task ${id} is at version ${current.version}, not ${expected}: read it again and retry.`,
    {
      headers: { ETag: etagOf(current) },
    },
  );
}

/** A strong ETag: the version, quoted. */
export const etagOf = (task: { version: number }) => `"${task.version}"`;

/**
 * The update document for a patch. completedAt follows status: `$min` sets it when the field is
 * missing (the task becomes done) and keeps the earlier time when it was done already, so
 * "done → done" does not move it; leaving done removes it. No read first.
 */
function toUpdate(changes: TaskPatch, now: Date) {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  const $min: Record<string, Date> = {};
  if (changes.title !== undefined) $set.title = changes.title;
  if (changes.notes === null) $unset.notes = 1;
  else if (changes.notes !== undefined) $set.notes = changes.notes;
  if (changes.priority !== undefined) Object.assign($set, { priority: changes.priority, priorityRank: PRIORITY_RANK[changes.priority] });
  if (changes.dueDate === null) $unset.dueDate = 1;
  else if (changes.dueDate !== undefined) $set.dueDate = new Date(changes.dueDate);
  if (changes.status !== undefined) $set.status = changes.status;
  if (changes.status === 'done') $min.completedAt = now;
  else if (changes.status !== undefined) $unset.completedAt = 1;
  return {
    $set,
    ...(Object.keys($unset).length > 0 ? { $unset } : {}),
    ...(Object.keys($min).length > 0 ? { $min } : {}),
    $inc: { version: 1 },
  };
}
