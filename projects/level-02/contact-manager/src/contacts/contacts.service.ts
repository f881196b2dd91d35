import { conflict, escapeRegex, notFound, ownedBy, paginate, startingWith, type Page, type PageParams, type Principal } from '@hub/core';
import type { QueryFilter } from 'mongoose';
import { Contact, emailKeyOf, type ContactRecord, type LeanContact } from './contact.model.ts';
import type { ContactPatch, ContactView, ExportQuery, NewContact } from './contacts.schemas.ts';

export const toView = (contact: LeanContact): ContactView => ({
  id: String(contact._id),
  name: contact.name,
  ...(contact.email ? { email: contact.email } : {}),
  phones: contact.phones.map(({ label, number }) => ({ label, number })),
  ...(contact.company ? { company: contact.company } : {}),
  tags: contact.tags,
  ...(contact.notes !== undefined && contact.notes !== null ? { notes: contact.notes } : {}),
  createdAt: contact.createdAt.toISOString(),
  updatedAt: contact.updatedAt.toISOString(),
});

/** The caller's contacts, narrowed by the listing's filters. Every query starts from ownedBy. */
export function filterFor(principal: Principal, { tag, company, q }: ExportQuery): QueryFilter<ContactRecord> {
  const filter: Record<string, unknown> = { ...ownedBy(principal) };
  if (tag) filter.tags = tag;
  if (company) filter.company = { $regex: `^${escapeRegex(company)}$`, $options: 'i' };
  if (q) filter.$or = [startingWith(q.toLowerCase(), 'nameLower'), startingWith(q, 'company'), startingWith(q, 'email')];
  return filter as QueryFilter<ContactRecord>;
}

/** The unique index { owner, email } said no: the caller already has a contact with this email. */
async function orConflictOnEmail<T>(write: Promise<T>, email: string | null | undefined): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
    throw conflict(`You already have a contact with the email ${email ?? ''}.`.replace(' .', '.'), [
      { in: 'body', field: 'email', message: 'is already used by another of your contacts' },
    ]);
  }
}

export async function createContact(principal: Principal, input: NewContact): Promise<ContactView> {
  const contact = await orConflictOnEmail(Contact.create({ ...input, owner: principal.id }), input.email);
  return toView(contact.toObject());
}

export async function listContacts(principal: Principal, query: ExportQuery, page: PageParams): Promise<Page<ContactView>> {
  return paginate(Contact, { filter: filterFor(principal, query), sort: { nameLower: 1 }, map: toView }, page);
}

export async function readContact(principal: Principal, id: string): Promise<ContactView> {
  const contact = await Contact.findOne({ _id: id, ...ownedBy(principal) }).lean<LeanContact>();
  // Someone else's contact is "not found" too: its id must not tell that it exists.
  if (!contact) throw notFound(`You have no contact ${id}.`);
  return toView(contact);
}

export async function updateContact(principal: Principal, id: string, patch: ContactPatch): Promise<ContactView> {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) $unset[field] = '';
    else if (value !== undefined) $set[field] = value;
  }
  // findOneAndUpdate skips the model's validate hook: keep the derived fields in step here.
  if (patch.name) $set.nameLower = patch.name.toLowerCase();
  if (patch.email !== undefined) $set.emailKey = emailKeyOf(id, patch.email);
  const update = { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) };
  const contact = await orConflictOnEmail(
    Contact.findOneAndUpdate({ _id: id, ...ownedBy(principal) }, update, {
      returnDocument: 'after',
      runValidators: true,
    }).lean<LeanContact>(),
    patch.email,
  );
  if (!contact) throw notFound(`You have no contact ${id}.`);
  return toView(contact);
}

export async function deleteContact(principal: Principal, id: string): Promise<void> {
  const { deletedCount } = await Contact.deleteOne({ _id: id, ...ownedBy(principal) });
  if (deletedCount === 0) throw notFound(`You have no contact ${id}.`);
}

/** A cursor over the caller's contacts in name order: documents arrive in batches, never all at once. */
export function contactsCursor(principal: Principal, query: ExportQuery) {
  return Contact.find(filterFor(principal, query)).sort({ nameLower: 1, _id: -1 }).lean<LeanContact>().cursor();
}
