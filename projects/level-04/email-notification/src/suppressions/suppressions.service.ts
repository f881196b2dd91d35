import { notFound, ownedBy, paginate, type Page, type Principal } from '@hub/core';
import { Suppression, type SuppressionRecord } from './suppression.model.ts';
import type { SuppressionInput, SuppressionListQuery, SuppressionView } from './suppressions.schemas.ts';

const toView = (suppression: SuppressionRecord): SuppressionView => ({
  id: String(suppression._id),
  email: suppression.email,
  reason: suppression.reason,
  createdAt: suppression.createdAt.toISOString(),
});

const isDuplicateKey = (error: unknown) => (error as { code?: unknown }).code === 11000;

/**
 * Adds an address to the caller's suppression list. Already there: the entry that exists, and
 * `created: false` (the unique index on owner and email decides, so two at once make one entry).
 */
export async function suppress(
  principal: Principal,
  { email, reason }: SuppressionInput,
): Promise<{ suppression: SuppressionView; created: boolean }> {
  try {
    const created = await Suppression.create({ owner: principal.id, email, reason });
    return { suppression: toView(created.toObject()), created: true };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const existing = await Suppression.findOne({ ...ownedBy(principal), email }).lean<SuppressionRecord>();
    if (!existing) throw error;
    return { suppression: toView(existing), created: false };
  }
}

export async function listSuppressions(principal: Principal, page: SuppressionListQuery): Promise<Page<SuppressionView>> {
  return paginate(Suppression, { filter: ownedBy(principal), sort: { createdAt: -1 }, map: toView }, page);
}

/** Mail to the address is sent again. Someone else's entry and a missing one are the same 404. */
export async function unsuppress(principal: Principal, id: string): Promise<void> {
  const { deletedCount } = await Suppression.deleteOne({ _id: id, ...ownedBy(principal) });
  if (deletedCount === 0) throw notFound(`No suppression with id ${id}.`);
}

/** Whether the caller has suppressed this (normalised) address. */
export async function isSuppressed(principal: Principal, email: string): Promise<boolean> {
  return (await Suppression.exists({ ...ownedBy(principal), email })) !== null;
}
