import { ApiRouter, authenticate, authorize, badRequest, principalOf, stage, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import { BulkComplete, BulkResult, TaskCreate, TaskId, TaskListQuery, TaskPage, TaskPatch, TaskView } from './tasks.schemas.ts';
import { completeTasks, createTask, deleteTask, etagOf, listTasks, readTask, updateTask, type ExpectedVersion } from './tasks.service.ts';

const creating = { body: TaskCreate };
const listing = { query: TaskListQuery };
const byId = { params: TaskId };
const patching = { params: TaskId, body: TaskPatch };
const bulk = { body: BulkComplete };

const IF_MATCH = 'Optional If-Match: "<version>" (from the ETag) or *. A stale version answers 412 and writes nothing; without If-Match the write applies.';

export const taskRoutes = new ApiRouter('tasks')
  .post('/', { summary: 'Create a task (201, Location, ETag)', responses: { 201: TaskView } }, validate(creating), authenticate(), authorize('tasks:write'), create)
  .get('/', { summary: 'List your tasks: filter by status, overdue, due range; paginate', responses: { 200: TaskPage } }, validate(listing), authenticate(), authorize('tasks:read'), list)
  .post('/bulk-complete', { summary: 'Mark up to 100 of your tasks done in one update', responses: { 200: BulkResult } }, validate(bulk), authenticate(), authorize('tasks:write'), completeMany)
  .get('/:id', { summary: 'Read one of your tasks (with its ETag)', responses: { 200: TaskView } }, validate(byId), authenticate(), authorize('tasks:read'), read)
  .patch('/:id', { summary: 'Change a task; If-Match guards against lost updates', description: IF_MATCH, responses: { 200: TaskView } }, validate(patching), checkIfMatch(), authenticate(), authorize('tasks:write'), update)
  .delete('/:id', { summary: 'Delete a task; If-Match guards against deleting a changed task', description: IF_MATCH, responses: { 204: 'Deleted' } }, validate(byId), checkIfMatch(), authenticate(), authorize('tasks:write'), remove);

async function create(req: ValidRequest<typeof creating>, res: Response) {
  const task = await createTask(principalOf(req), req.body);
  res.status(201).location(`${req.baseUrl}/${task.id}`).set('ETag', etagOf(task)).json(task);
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  res.json(await listTasks(principalOf(req), req.query));
}

async function read(req: ValidRequest<typeof byId>, res: Response) {
  const task = await readTask(principalOf(req), req.params.id);
  res.set('ETag', etagOf(task)).json(task);
}

async function update(req: ValidRequest<typeof patching>, res: Response) {
  const task = await updateTask(principalOf(req), req.params.id, req.body, expectedVersion(res));
  res.set('ETag', etagOf(task)).json(task);
}

async function remove(req: ValidRequest<typeof byId>, res: Response) {
  await deleteTask(principalOf(req), req.params.id, expectedVersion(res));
  res.status(204).end();
}

async function completeMany(req: ValidRequest<typeof bulk>, res: Response) {
  res.json(await completeTasks(principalOf(req), req.body.ids));
}

// One entity tag, strong: `"<version>"`, or `*` for any existing task. Weak tags (W/"3") and
// lists ("3", "4") are refused: a write needs one exact version to compare with.
const IF_MATCH_SYNTAX = /^(?:\*|"(\d{1,15})")$/;

/**
 * Validation for the If-Match header (validate() covers params, query and body only): a
 * malformed one answers 400 naming it; a well-formed one is kept for the handler.
 */
function checkIfMatch() {
  return stage('validate', (req, res) => {
    const header = req.get('if-match')?.trim();
    if (header === undefined) return;
    const match = IF_MATCH_SYNTAX.exec(header);
    if (!match) {
      throw badRequest('If-Match must be a quoted version from the ETag, such as "3", or *.', [
        { in: 'headers', field: 'if-match', message: 'must be "<version>" or *' },
      ]);
    }
    res.locals.expectedVersion = match[1] === undefined ? undefined : Number(match[1]);
  });
}

const expectedVersion = (res: Response) => res.locals.expectedVersion as ExpectedVersion;
