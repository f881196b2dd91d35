import mongoose from 'mongoose';

export const STATUSES = ['todo', 'doing', 'done'] as const;
export const PRIORITIES = ['low', 'normal', 'high'] as const;
export type Status = (typeof STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];

/** Priorities sort by this number (high first), not alphabetically. */
export const PRIORITY_RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2 };

const taskSchema = new mongoose.Schema(
  {
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    title: { type: String, required: true },
    notes: { type: String },
    status: { type: String, enum: STATUSES, required: true, default: 'todo' },
    priority: { type: String, enum: PRIORITIES, required: true, default: 'normal' },
    priorityRank: { type: Number, required: true, default: PRIORITY_RANK.normal },
    // Absent when there is none: clearing it is $unset.
    dueDate: { type: Date },
    // Set by the server when the status becomes done, removed when it leaves done. Absent (not
    // null) matters: `$min` sets a missing field but keeps an earlier date (see tasks.service.ts).
    completedAt: { type: Date },
    // Our own optimistic-concurrency counter, the ETag: +1 on every write, in the same update.
    version: { type: Number, required: true, default: 1 },
  },
  // Mongoose's own __v stays (it only moves on array changes); `version` is the one that counts.
  { timestamps: true },
);

// Every query starts with the owner: the listing orders and the due-date filters.
taskSchema.index({ owner: 1, createdAt: -1, _id: -1 });
taskSchema.index({ owner: 1, priorityRank: -1, createdAt: -1, _id: -1 });
taskSchema.index({ owner: 1, dueDate: 1 });

export const Task = mongoose.model('Task', taskSchema);
/** A stored task as plain data (`.lean()`). */
export type TaskRecord = mongoose.InferSchemaType<typeof taskSchema> & { _id: mongoose.Types.ObjectId };
