import { clientBody, IdParams, pageOf, pageQuery } from '@hub/core';
import { z } from 'zod';

/**
 * The currencies we accept (ISO 4217) and how many decimals their minor unit has. An amount
 * is always a whole number of minor units: 1050 EUR is €10.50, 1050 JPY is ¥1050.
 */
export const MINOR_UNIT_DIGITS = { EUR: 2, USD: 2, GBP: 2, CHF: 2, CAD: 2, AUD: 2, INR: 2, JPY: 0, KWD: 3 } as const;
export const CURRENCIES = Object.keys(MINOR_UNIT_DIGITS) as Array<keyof typeof MINOR_UNIT_DIGITS>;
export type Currency = keyof typeof MINOR_UNIT_DIGITS;

export const CATEGORIES = ['food', 'transport', 'housing', 'utilities', 'health', 'entertainment', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The largest single expense: 10^12 minor units (ten billion euros). Sums stay exact far beyond it. */
export const MAX_AMOUNT = 1_000_000_000_000;

// z.int() refuses fractions, strings, null, NaN and anything beyond Number.MAX_SAFE_INTEGER.
const amount = z
  .int()
  .positive()
  .max(MAX_AMOUNT)
  .meta({
    description: `whole minor units of the currency (cents for EUR), 1 to ${MAX_AMOUNT}; a JSON number, never a string`,
    example: 1250,
  });
const currency = z.enum(CURRENCIES).meta({ description: 'ISO 4217 code, upper case', example: 'EUR' });
const category = z.enum(CATEGORIES).meta({ example: 'food' });
const description = z.string().trim().max(200).meta({ description: 'at most 200 characters', example: 'Lunch with the team' });
const dateTime = z.iso
  .datetime({ offset: true })
  .meta({ description: 'ISO 8601 date-time with Z or an offset', example: '2025-01-31T12:30:00Z' });
const spentAt = dateTime.transform((text) => new Date(text));

export const ExpenseId = IdParams;

/** POST /expenses: everything but the description is required. */
export const ExpenseInput = clientBody(z.object({ amount, currency, category, description: description.default(''), spentAt }));
export type ExpenseInput = z.output<typeof ExpenseInput>;

/** PATCH /expenses/:id: any subset of the fields, but at least one (absent means unchanged). */
export const ExpensePatch = clientBody(z.object({ amount, currency, category, description, spentAt }).partial()).refine(
  (patch) => Object.keys(patch).length > 0,
  { message: 'send at least one of amount, currency, category, description, spentAt' },
);
export type ExpensePatch = z.output<typeof ExpensePatch>;

/** A date range on spentAt: `from` inclusive, `to` exclusive, so consecutive ranges never overlap. */
const range = {
  from: spentAt.optional().meta({ description: 'spentAt ≥ from (inclusive)' }),
  to: spentAt.optional().meta({ description: 'spentAt < to (exclusive)' }),
};
const orderedRange = <T extends { from?: Date | undefined; to?: Date | undefined }>(query: T) =>
  !query.from || !query.to || query.from < query.to;
const rangeMessage = { message: 'must be later than from', path: ['to'] };

export const ExpenseListQuery = pageQuery({
  category: category.optional(),
  currency: currency.optional(),
  ...range,
}).refine(orderedRange, rangeMessage);
export type ExpenseListQuery = z.output<typeof ExpenseListQuery>;

/** The summary needs one currency: totals in different currencies are never added together. */
export const SummaryQuery = z.strictObject({ currency, ...range }).refine(orderedRange, rangeMessage);
export type SummaryQuery = z.output<typeof SummaryQuery>;

export const ExpenseView = z
  .object({
    id: z.string(),
    amount: z.int(),
    currency,
    category,
    description: z.string(),
    spentAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Expense' });
export type ExpenseView = z.infer<typeof ExpenseView>;

export const ExpensePage = pageOf(ExpenseView, 'ExpensePage');

export const Summary = z
  .object({
    currency,
    from: z.iso.datetime().nullable(),
    to: z.iso.datetime().nullable(),
    total: z.int().describe('minor units, all categories'),
    byCategory: z.array(z.object({ category, total: z.int(), count: z.int() })).describe('largest total first'),
    byMonth: z
      .array(z.object({ month: z.string().regex(/^\d{4}-\d{2}$/), total: z.int(), count: z.int() }))
      .describe('oldest month first; months are UTC'),
  })
  .meta({ id: 'ExpenseSummary' });
export type Summary = z.infer<typeof Summary>;
