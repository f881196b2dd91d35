import mongoose from 'mongoose';

export const PHONE_LABELS = ['mobile', 'home', 'work', 'other'] as const;

const phoneSchema = new mongoose.Schema(
  {
    label: { type: String, enum: PHONE_LABELS, required: true },
    // Stored in E.164 (`+14155550123`): one spelling per number, so equal numbers compare equal.
    number: { type: String, required: true },
  },
  { _id: false },
);

const contactSchema = new mongoose.Schema(
  {
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    name: { type: String, required: true },
    // Lower-cased copy of name: listings sort "alice" next to "Alice", not after "Zoe".
    nameLower: { type: String, required: true },
    // Absent (never null or "") when the contact has no email.
    email: { type: String },
    // What the unique index compares: the email, or `none:<_id>` when there is none (see below).
    emailKey: { type: String, required: true },
    phones: { type: [phoneSchema], default: [] },
    company: { type: String },
    tags: { type: [String], default: [] },
    notes: { type: String },
  },
  { timestamps: true },
);

// One email per owner, enforced by MongoDB itself, so two racing requests cannot both insert.
// On MongoDB alone `{ owner: 1, email: 1 }` with partialFilterExpression { email: { $type: 'string' } }
// would do; mongo-java-server ignores partial filters (and a compound sparse index still indexes
// documents that lack email), so two email-less contacts of one owner would collide there.
// A key that is never missing, and unique by construction when there is no email, works on both.
contactSchema.index({ owner: 1, emailKey: 1 }, { unique: true });
contactSchema.index({ owner: 1, nameLower: 1, _id: -1 });
contactSchema.index({ owner: 1, tags: 1 });

/** The value of emailKey: the email itself, or a placeholder no other contact can have. */
export const emailKeyOf = (id: unknown, email: string | null | undefined): string => email ?? `none:${String(id)}`;

// Runs for create(), save() and insertMany(), so no writer can forget it; updates set it themselves.
contactSchema.pre('validate', function deriveKeys() {
  this.emailKey = emailKeyOf(this._id, this.email);
  this.nameLower = this.name.toLowerCase();
});

export const Contact = mongoose.model('Contact', contactSchema);
export type ContactRecord = mongoose.InferSchemaType<typeof contactSchema>;
export type LeanContact = ContactRecord & { _id: mongoose.Types.ObjectId };
