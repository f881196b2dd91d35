import { pageOf, pageQuery } from '@hub/core';
import { z } from 'zod';
import { FlagKey, FlagView } from '../flags/flags.schemas.ts';

export const AuditListQuery = pageQuery({ flag: FlagKey.optional().meta({ description: "only this flag's changes" }) });
export type AuditListQuery = z.output<typeof AuditListQuery>;

export const AuditView = z
  .object({
    id: z.string(),
    flagKey: z.string(),
    action: z.enum(['create', 'update', 'delete']),
    actor: z.object({ id: z.string(), role: z.string() }).describe('the account that made the change, and its role then'),
    before: FlagView.nullable().describe('null for a create'),
    after: FlagView.nullable().describe('null for a delete'),
    at: z.iso.datetime(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditView = z.infer<typeof AuditView>;

export const AuditPage = pageOf(AuditView, 'AuditPage');
