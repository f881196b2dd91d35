import { clientBody, IdParams, pageOf, pageQuery, searchText } from '@hub/core';
import { z } from 'zod';
import { PHONE_LABELS } from './contact.model.ts';

export const ContactId = IdParams;

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;

// People type "+44 (20) 7946-0958"; spaces, dashes and parentheses are removed before the check.
const PhoneNumber = z
  .string()
  .max(32)
  .transform((raw) => raw.replace(/[\s\-()]/g, ''))
  .pipe(z.string().regex(E164, 'must be an E.164 number such as +14155550123 (spaces, dashes and parentheses are allowed)'))
  .meta({ example: '+1 (415) 555-0123' });

const Phone = z.strictObject({ label: z.enum(PHONE_LABELS), number: PhoneNumber });

const Name = z.string().trim().min(1).max(100).meta({ example: 'Ada Lovelace' });
// Trimmed and lower-cased before the format check: `Ann@X.io` and `ann@x.io` are one email.
const Email = z.string().trim().toLowerCase().pipe(z.email().max(254)).meta({ example: 'ada@example.com' });
const Company = z.string().trim().min(1).max(100).meta({ example: 'Analytical Engines Ltd' });
const Tag = z.string().trim().toLowerCase().min(1).max(40);
const Tags = z
  .array(Tag)
  .max(20)
  .transform((tags) => [...new Set(tags)])
  .meta({ example: ['friends', 'work'] });
const Notes = z.string().max(2000);
const Phones = z.array(Phone).max(5);

export const NewContact = clientBody(
  z.object({
    name: Name,
    email: Email.optional(),
    phones: Phones.default([]),
    company: Company.optional(),
    tags: Tags.default([]),
    notes: Notes.optional(),
  }),
);
export type NewContact = z.output<typeof NewContact>;

/** Any subset of the fields; `null` removes an optional one. */
export const ContactPatch = clientBody(
  z.object({
    name: Name.optional(),
    email: Email.nullable().optional(),
    phones: Phones.optional(),
    company: Company.nullable().optional(),
    tags: Tags.optional(),
    notes: Notes.nullable().optional(),
  }),
).refine((patch) => Object.keys(patch).length > 0, { message: 'send at least one field to change' });
export type ContactPatch = z.output<typeof ContactPatch>;

export const ContactQuery = pageQuery({
  tag: Tag.optional().meta({ description: 'only contacts with this tag' }),
  company: Company.optional().meta({ description: 'only contacts of this company (case-insensitive, whole name)' }),
  q: searchText.optional().meta({ description: 'prefix of the name, company or email; matched literally, case-insensitively' }),
});
export type ContactQuery = z.output<typeof ContactQuery>;

/** The export takes the same filters as the listing, without paging. */
export const ExportQuery = z.strictObject({
  tag: Tag.optional(),
  company: Company.optional(),
  q: searchText.optional(),
});
export type ExportQuery = z.output<typeof ExportQuery>;

export const ContactView = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.email().optional(),
    phones: z.array(z.object({ label: z.enum(PHONE_LABELS), number: z.string() })),
    company: z.string().optional(),
    tags: z.array(z.string()),
    notes: z.string().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Contact' });
export type ContactView = z.infer<typeof ContactView>;

export const ContactPage = pageOf(ContactView, 'ContactPage');
