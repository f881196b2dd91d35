import mongoose from 'mongoose';

const counterSchema = new mongoose.Schema(
  {
    // The unique index is what makes a second "create" of the same name impossible.
    name: { type: String, required: true, unique: true },
    value: { type: Number, required: true, default: 0 },
  },
  { timestamps: true },
);

export const Counter = mongoose.model('Counter', counterSchema);
export type CounterDocument = mongoose.HydratedDocument<mongoose.InferSchemaType<typeof counterSchema>>;
