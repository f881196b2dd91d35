import { clientBody, Email, IdParams, pageOf, pageQuery } from '@hub/core';
import { singleLine } from '@hub/core/mail-templates';
import { z } from 'zod';
import { SUPPRESSION_REASONS } from './suppression.model.ts';

/** An address: one line (CR or LF refused before trimming), then trimmed and lower-cased as signup does. */
export const Address = singleLine(Email).meta({ example: 'ada@example.com' });

export const SuppressionId = IdParams;

/** POST /suppressions. */
export const SuppressionInput = clientBody(
  z.object({
    email: Address,
    reason: z.enum(SUPPRESSION_REASONS).default('manual').describe('why mail to it stops; manual when absent'),
  }),
);
export type SuppressionInput = z.output<typeof SuppressionInput>;

export const SuppressionListQuery = pageQuery({});
export type SuppressionListQuery = z.output<typeof SuppressionListQuery>;

export const SuppressionView = z
  .object({ id: z.string(), email: z.string(), reason: z.enum(SUPPRESSION_REASONS), createdAt: z.iso.datetime() })
  .meta({ id: 'Suppression' });
export type SuppressionView = z.infer<typeof SuppressionView>;

export const SuppressionPage = pageOf(SuppressionView, 'SuppressionPage');
