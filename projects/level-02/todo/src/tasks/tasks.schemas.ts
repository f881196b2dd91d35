import { clientBody, IdParams, objectId, pageOf, pageQuery } from '@hub/core';
import { z } from 'zod';
import { PRIORITIES, STATUSES } from './task.model.ts';

const dateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-05-01T09:00:00Z' });

const title = z.string().trim().min(1).max(200).meta({ example: 'Renew passport' });
const notes = z.string().max(2000);
const status = z.enum(STATUSES);
const priority = z.enum(PRIORITIES);
const dueDate = dateTime.meta({ example: '2026-05-01T09:00:00Z' });

export const TaskId = IdParams;

/**
 * If-Match on a write: one strong entity tag, `"<version>"` from the ETag, or `*` for any
 * existing task. Weak tags (W/"3") and lists ("3", "4") are refused: a write needs one exact
 * version to compare with. Parsed to the version number (undefined for `*` or no header).
 */
export const IfMatch = z.object({
  'if-match': z
    .string()
    .trim()
    .regex(/^(?:\*|"\d{1,15}")$/, 'must be "<version>" or *')
    .transform((tag) => (tag === '*' ? undefined : Number(tag.slice(1, -1))))
    .optional()
    .meta({
      description:
        'Optional: "<version>" (from the ETag) or *. A stale version answers 412 and writes nothing; without If-Match the write applies.',
      example: '"3"',
    }),
});

/**
 * A new task. owner, _id, createdAt and role are dropped (clientBody); version and completedAt
 * belong to the server too and are refused with a 400 naming them, like any other unknown field.
 */
export const TaskCreate = clientBody(
  z.object({
    title,
    notes: notes.optional(),
    status: status.optional().meta({ description: 'default todo' }),
    priority: priority.optional().meta({ description: 'default normal' }),
    dueDate: dueDate.nullable().optional(),
  }),
);
export type TaskCreate = z.output<typeof TaskCreate>;

/** Changes to a task: at least one field; null clears notes or dueDate. */
export const TaskPatch = clientBody(
  z.object({
    title: title.optional(),
    notes: notes.nullable().optional(),
    status: status.optional(),
    priority: priority.optional(),
    dueDate: dueDate.nullable().optional(),
  }),
).refine((changes) => Object.keys(changes).length > 0, 'send at least one field to change');
export type TaskPatch = z.output<typeof TaskPatch>;

export const BulkComplete = z.strictObject({
  ids: z.array(objectId).min(1).max(100).meta({ description: '1 to 100 task ids; ids that are not yours are simply not matched' }),
});

export const TaskListQuery = pageQuery({
  status: status.optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((flag) => flag === 'true')
    .optional()
    .meta({ description: 'true: due before now and not done; false: everything else' }),
  dueFrom: dueDate.optional().meta({ description: 'due at or after this instant (inclusive)' }),
  dueTo: dueDate.optional().meta({ description: 'due strictly before this instant (exclusive)' }),
  sort: z
    .enum(['-createdAt', 'createdAt', '-priority', 'priority'])
    .default('-createdAt')
    .meta({ description: '-createdAt (newest first, default), createdAt, -priority (high first, then newest), priority' }),
}).refine((query) => !query.dueFrom || !query.dueTo || Date.parse(query.dueFrom) < Date.parse(query.dueTo), {
  message: 'must be later than dueFrom',
  path: ['dueTo'],
});
export type TaskListQuery = z.output<typeof TaskListQuery>;

export const TaskView = z
  .object({
    id: z.string(),
    title: z.string(),
    notes: z.string().optional(),
    status,
    priority,
    dueDate: z.iso.datetime().nullable(),
    completedAt: z.iso.datetime().nullable(),
    version: z.int().min(1).describe('also sent as the ETag header: "<version>"'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Task' });
export type TaskView = z.infer<typeof TaskView>;

export const TaskPage = pageOf(TaskView, 'TaskPage');

export const BulkResult = z
  .object({
    matched: z.int().describe('your tasks among the ids that were not done yet'),
    modified: z.int().describe('tasks this request marked done'),
  })
  .meta({ id: 'BulkCompleteResult' });
export type BulkResult = z.infer<typeof BulkResult>;
