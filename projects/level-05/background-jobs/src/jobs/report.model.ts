import mongoose from 'mongoose';

/**
 * What a job leaves behind: one report per job, keyed by the job's id (`_id`, unique). A job run
 * twice (its worker died after writing, before BullMQ heard it finished) writes the same key
 * again, and the upsert's `$setOnInsert` changes nothing: the effect happens once.
 */
const reportSchema = new mongoose.Schema(
  {
    _id: { type: String, required: true },
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    title: { type: String, required: true },
    lines: { type: [String], required: true },
    finishedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const Report = mongoose.model('Report', reportSchema);
export type ReportRecord = mongoose.InferSchemaType<typeof reportSchema>;
