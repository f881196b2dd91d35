import { z } from 'zod';
import { badRequest } from './errors.ts';

/** The longest text a search accepts: regex work grows with the pattern, so it is bounded. */
export const MAX_SEARCH_LENGTH = 100;

/** A `q` query parameter: trimmed, 1 to MAX_SEARCH_LENGTH characters. */
export const searchText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_SEARCH_LENGTH, `must be at most ${MAX_SEARCH_LENGTH} characters`)
  .meta({ description: 'plain text, matched literally and case-insensitively', example: 'groceries' });

/** `a.b*` → `a\.b\*`: every character that means something in a regex is matched literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function literal(text: string): string {
  // searchText() already stops longer text; this guards callers that skipped it.
  if (text.length > MAX_SEARCH_LENGTH) throw badRequest(`Search text must be at most ${MAX_SEARCH_LENGTH} characters.`);
  return escapeRegex(text);
}

/**
 * A filter matching documents where any of `fields` contains `text`, case-insensitively.
 * User text never becomes a pattern: `.*` finds the two characters `.*`.
 */
export function containing(text: string, fields: readonly string[]): { $or: Array<Record<string, { $regex: string; $options: 'i' }>> } {
  const pattern = literal(text);
  return { $or: fields.map((field) => ({ [field]: { $regex: pattern, $options: 'i' } })) };
}

/** A filter matching documents whose `field` starts with `text`, case-insensitively. */
export function startingWith(text: string, field: string): Record<string, { $regex: string; $options: 'i' }> {
  return { [field]: { $regex: `^${literal(text)}`, $options: 'i' } };
}
