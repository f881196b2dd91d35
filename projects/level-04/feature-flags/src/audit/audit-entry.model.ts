import mongoose from 'mongoose';

const auditEntrySchema = new mongoose.Schema(
  {
    flagKey: { type: String, required: true },
    action: { type: String, enum: ['create', 'update', 'delete'], required: true },
    // Who did it, as their token said at the time.
    actor: {
      id: { type: mongoose.Schema.Types.ObjectId, required: true },
      role: { type: String, required: true },
    },
    // The flag as the API showed it before and after the change; null before a create and after a delete.
    before: { type: mongoose.Schema.Types.Mixed, default: null },
    after: { type: mongoose.Schema.Types.Mixed, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, minimize: false },
);

// The listings: all changes newest first, and one flag's changes newest first.
auditEntrySchema.index({ createdAt: -1 });
auditEntrySchema.index({ flagKey: 1, createdAt: -1 });

export const AuditEntry = mongoose.model('AuditEntry', auditEntrySchema);
export type AuditEntryRecord = mongoose.InferSchemaType<typeof auditEntrySchema> & { _id: mongoose.Types.ObjectId };
