import mongoose from 'mongoose';

/**
 * A submitted job, as the API knows it: who owns it and what was asked. Its `_id` is the BullMQ
 * job's id; the state, attempts and progress live in the queue (Redis). The listing and every
 * ownership check read this collection, so a user only ever reaches their own jobs.
 */
const jobSchema = new mongoose.Schema(
  {
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    type: { type: String, required: true, enum: ['report'] },
    title: { type: String, required: true },
    steps: { type: Number, required: true },
    // Set by POST /jobs/:id/cancel: the worker looks at it before each step.
    cancelledAt: { type: Date, default: null },
  },
  { timestamps: true },
);

// The listing: one owner's jobs, newest first (paginate() adds _id to break ties).
jobSchema.index({ owner: 1, createdAt: -1 });

export const Job = mongoose.model('Job', jobSchema);
export type JobRecord = mongoose.InferSchemaType<typeof jobSchema> & { _id: mongoose.Types.ObjectId };
