import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { LeanContact } from './contact.model.ts';

export const CSV_COLUMNS = ['name', 'email', 'phones', 'company', 'tags', 'notes', 'createdAt'] as const;
type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>;

// A spreadsheet runs a cell starting with one of these as a formula (OWASP: CSV Injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/** `=HYPERLINK(…)` → `'=HYPERLINK(…)`: the leading quote makes spreadsheets show it as text. */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

export function toCsvRow(contact: LeanContact): CsvRow {
  const row: CsvRow = {
    name: contact.name,
    email: contact.email ?? '',
    phones: contact.phones.map(({ label, number }) => `${label} ${number}`).join('; '),
    company: contact.company ?? '',
    tags: contact.tags.join('; '),
    notes: contact.notes ?? '',
    createdAt: contact.createdAt.toISOString(),
  };
  return Object.fromEntries(Object.entries(row).map(([column, cell]) => [column, neutralise(cell)])) as CsvRow;
}

/**
 * cursor → rows → csv-stringify → `out`, one document at a time. pipeline() honours
 * backpressure (a slow client pauses the cursor) and destroys every stage when one fails or
 * the client goes away, which closes the MongoDB cursor.
 */
export async function writeContactsCsv(cursor: Readable & AsyncIterable<LeanContact>, out: Writable): Promise<void> {
  await pipeline(
    cursor,
    async function* toRows(contacts: AsyncIterable<LeanContact>) {
      for await (const contact of contacts) yield toCsvRow(contact);
    },
    stringify({ header: true, columns: [...CSV_COLUMNS] }),
    out,
  );
}
