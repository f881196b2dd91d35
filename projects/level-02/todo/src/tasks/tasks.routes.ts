import { ApiRouter, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { BulkComplete, BulkResult, IfMatch, TaskCreate, TaskId, TaskListQuery, TaskPage, TaskPatch, TaskView } from './tasks.schemas.ts';
import { completeTasks, createTask, deleteTask, etagOf, listTasks, readTask, updateTask } from './tasks.service.ts';

const creating = { body: TaskCreate };
const listing = { query: TaskListQuery };
const byId = { params: TaskId };
const patching = { params: TaskId, headers: IfMatch, body: TaskPatch };
const deleting = { params: TaskId, headers: IfMatch };
const bulk = { body: BulkComplete };

export function tasksRoutes({ access }: { access: AppAccess }): ApiRouter {
  return new ApiRouter('tasks')
    .post(
      '/',
      { summary: 'Create a task (201, Location, ETag)', responses: { 201: TaskView } },
      validate(creating),
      access.authenticate(),
      access.authorize('tasks:write'),
      create,
    )
    .get(
      '/',
      { summary: 'List your tasks: filter by status, overdue, due range; paginate', responses: { 200: TaskPage } },
      validate(listing),
      access.authenticate(),
      access.authorize('tasks:read'),
      list,
    )
    .post(
      '/bulk-complete',
      { summary: 'Mark up to 100 of your tasks done in one update', responses: { 200: BulkResult } },
      validate(bulk),
      access.authenticate(),
      access.authorize('tasks:write'),
      completeMany,
    )
    .get(
      '/:id',
      { summary: 'Read one of your tasks (with its ETag)', responses: { 200: TaskView } },
      validate(byId),
      access.authenticate(),
      access.authorize('tasks:read'),
      read,
    )
    .patch(
      '/:id',
      { summary: 'Change a task; If-Match guards against lost updates', responses: { 200: TaskView } },
      validate(patching),
      access.authenticate(),
      access.authorize('tasks:write'),
      update,
    )
    .delete(
      '/:id',
      { summary: 'Delete a task; If-Match guards against deleting a changed task', responses: { 204: 'Deleted' } },
      validate(deleting),
      access.authenticate(),
      access.authorize('tasks:write'),
      remove,
    );
}

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
  const task = await updateTask(principalOf(req), req.params.id, req.body, req.headers['if-match']);
  res.set('ETag', etagOf(task)).json(task);
}

async function remove(req: ValidRequest<typeof deleting>, res: Response) {
  await deleteTask(principalOf(req), req.params.id, req.headers['if-match']);
  res.status(204).end();
}

async function completeMany(req: ValidRequest<typeof bulk>, res: Response) {
  res.json(await completeTasks(principalOf(req), req.body.ids));
}
