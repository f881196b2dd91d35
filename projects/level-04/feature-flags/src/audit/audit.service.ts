import { paginate, type Page, type Principal } from '@hub/core';
import type { FlagView } from '../flags/flags.schemas.ts';
import { AuditEntry, type AuditEntryRecord } from './audit-entry.model.ts';
import type { AuditListQuery, AuditView } from './audit.schemas.ts';

export type AuditAction = 'create' | 'update' | 'delete';

const toView = (entry: AuditEntryRecord): AuditView => ({
  id: String(entry._id),
  flagKey: entry.flagKey,
  action: entry.action,
  actor: { id: String(entry.actor?.id), role: entry.actor?.role ?? '' },
  before: (entry.before ?? null) as FlagView | null,
  after: (entry.after ?? null) as FlagView | null,
  at: entry.createdAt.toISOString(),
});

/** One change: who made it, and the flag before and after (null before a create, after a delete). */
export async function recordChange(actor: Principal, action: AuditAction, before: FlagView | null, after: FlagView | null): Promise<void> {
  const flagKey = (after ?? before)?.key ?? '';
  await AuditEntry.create({ flagKey, action, actor: { id: actor.id, role: actor.role }, before, after });
}

/** Every change, newest first; `flag` narrows it to one key. */
export async function listChanges(query: AuditListQuery): Promise<Page<AuditView>> {
  const { flag, ...page } = query;
  return paginate(AuditEntry, { filter: flag ? { flagKey: flag } : {}, sort: { createdAt: -1 }, map: toView }, page);
}
