import { ApiRouter, logger, principalOf, validate, type ValidRequest } from '@hub/core';
import type { Response } from 'express';
import type { AppAccess } from '../permissions.ts';
import { ContactId, ContactPage, ContactPatch, ContactQuery, ContactView, ExportQuery, NewContact } from './contacts.schemas.ts';
import { contactsCursor, createContact, deleteContact, listContacts, readContact, updateContact } from './contacts.service.ts';
import { writeContactsCsv } from './csv.ts';

const creating = { body: NewContact };
const listing = { query: ContactQuery };
const exporting = { query: ExportQuery };
const byId = { params: ContactId };
const patching = { params: ContactId, body: ContactPatch };
const CsvFile = 'text/csv: a header row, then one row per contact';

export function contactsRoutes({ access }: { access: AppAccess }): ApiRouter {
  return (
    new ApiRouter('contacts')
      .post(
        '/',
        { summary: 'Add a contact (409 when you already have one with this email)', responses: { 201: ContactView } },
        validate(creating),
        access.authenticate(),
        access.authorize('contacts:write'),
        create,
      )
      .get(
        '/',
        { summary: 'List your contacts by name; filter by tag, company or a name/company/email prefix', responses: { 200: ContactPage } },
        validate(listing),
        access.authenticate(),
        access.authorize('contacts:read'),
        list,
      )
      // Before /:id, which would otherwise refuse "export.csv" as an id.
      .get(
        '/export.csv',
        { summary: 'Download your contacts as CSV, streamed from a cursor', responses: { 200: CsvFile } },
        validate(exporting),
        access.authenticate(),
        access.authorize('contacts:read'),
        exportCsv,
      )
      .get(
        '/:id',
        { summary: 'Read one of your contacts', responses: { 200: ContactView } },
        validate(byId),
        access.authenticate(),
        access.authorize('contacts:read'),
        read,
      )
      .patch(
        '/:id',
        { summary: 'Change some fields; null removes email, company or notes', responses: { 200: ContactView } },
        validate(patching),
        access.authenticate(),
        access.authorize('contacts:write'),
        update,
      )
      .delete(
        '/:id',
        { summary: 'Delete one of your contacts', responses: { 204: 'deleted' } },
        validate(byId),
        access.authenticate(),
        access.authorize('contacts:write'),
        remove,
      )
  );
}

async function create(req: ValidRequest<typeof creating>, res: Response) {
  const contact = await createContact(principalOf(req), req.body);
  res.status(201).location(`${req.baseUrl}/${contact.id}`).json(contact);
}

async function list(req: ValidRequest<typeof listing>, res: Response) {
  const { limit, page, cursor, ...filters } = req.query;
  res.json(await listContacts(principalOf(req), filters, { limit, page, cursor }));
}

async function read(req: ValidRequest<typeof byId>, res: Response) {
  res.json(await readContact(principalOf(req), req.params.id));
}

async function update(req: ValidRequest<typeof patching>, res: Response) {
  res.json(await updateContact(principalOf(req), req.params.id, req.body));
}

async function remove(req: ValidRequest<typeof byId>, res: Response) {
  await deleteContact(principalOf(req), req.params.id);
  res.status(204).end();
}

async function exportCsv(req: ValidRequest<typeof exporting>, res: Response) {
  res.set({ 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="contacts.csv"' });
  try {
    await writeContactsCsv(contactsCursor(principalOf(req), req.query), res);
  } catch (error) {
    // Before the first byte the error handler can still answer with a problem; after it, the
    // status line is gone: pipeline() has already destroyed the response, so log and stop.
    if (!res.headersSent) throw error;
    logger.warn('CSV export stopped after the response started', { error: (error as Error).message });
  }
}
