import mongoose from 'mongoose';
import { CATEGORIES, CURRENCIES } from './expenses.schemas.ts';

const expenseSchema = new mongoose.Schema(
  {
    // Every query and the summary's $match filter on this field: it makes an expense private.
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    // Whole minor units of `currency` (cents for EUR, yen for JPY): never a fraction.
    amount: {
      type: Number,
      required: true,
      min: 1,
      validate: { validator: Number.isSafeInteger, message: 'amount must be a whole number of minor units' },
    },
    currency: { type: String, required: true, enum: CURRENCIES },
    category: { type: String, required: true, enum: CATEGORIES },
    // Not `required`: mongoose treats '' as missing, and no description is a valid expense.
    description: { type: String, default: '' },
    spentAt: { type: Date, required: true },
  },
  { timestamps: true },
);

// The listing (newest first) and every range filter: one owner's expenses by date.
expenseSchema.index({ owner: 1, spentAt: -1 });
// The summary: one owner, one currency, a date range.
expenseSchema.index({ owner: 1, currency: 1, spentAt: -1 });

export const Expense = mongoose.model('Expense', expenseSchema);
export type ExpenseRecord = mongoose.InferSchemaType<typeof expenseSchema> & { _id: mongoose.Types.ObjectId };
