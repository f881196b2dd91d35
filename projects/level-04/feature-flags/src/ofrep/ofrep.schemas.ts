import { z } from 'zod';
import { EnvironmentName } from '../flags/flags.schemas.ts';
import { ERROR_CODES, REASONS } from '../flags/evaluate.ts';

// The OpenFeature Remote Evaluation Protocol's shapes (github.com/open-feature/protocol, service/openapi.yaml).

/** OFREP has no environment field: a provider is configured with this header (production when absent). */
export const EnvironmentHeader = z.object({
  'x-environment': EnvironmentName.default('production').meta({ description: 'development or production; production when absent' }),
});

/** The flag key as the path gives it: any key that is not a flag is a 404 FLAG_NOT_FOUND, as OFREP says. */
export const EvaluationParams = z.strictObject({ key: z.string().min(1).max(200) });

/**
 * `{ "context": { "targetingKey": "user-1", "plan": "pro" } }`. The context is checked by the
 * evaluator, not here, so a bad one is answered the OFREP way: reason ERROR, INVALID_CONTEXT.
 */
export const EvaluationRequest = z
  .strictObject({
    context: z.unknown().optional().meta({ description: 'an object: targetingKey (the user id) and any attributes rules test' }),
  })
  .optional();

export const BulkHeaders = EnvironmentHeader.extend({
  'if-none-match': z.string().max(1000).optional().meta({ description: 'the ETag of a previous bulk answer: 304 while nothing changed' }),
});

export const NoQuery = z.strictObject({});

const VariantValue = z.union([z.boolean(), z.string(), z.number()]);

export const EvaluationSuccess = z
  .object({
    key: z.string(),
    reason: z.enum(REASONS.filter((reason) => reason !== 'ERROR') as ['TARGETING_MATCH', 'SPLIT', 'DEFAULT', 'DISABLED']),
    variant: z.string(),
    value: VariantValue,
    metadata: z.object({ flagVersion: z.int(), environment: EnvironmentName }),
  })
  .meta({ id: 'EvaluationSuccess' });
export type EvaluationSuccess = z.infer<typeof EvaluationSuccess>;

export const EvaluationFailure = z
  .object({
    key: z.string(),
    reason: z.literal('ERROR'),
    errorCode: z.enum(ERROR_CODES),
    errorDetails: z.string(),
  })
  .meta({ id: 'EvaluationFailure' });
export type EvaluationFailure = z.infer<typeof EvaluationFailure>;

export const BulkEvaluation = z
  .object({
    flags: z.array(z.union([EvaluationSuccess, EvaluationFailure])),
    refreshConnections: z
      .array(z.object({ type: z.literal('sse'), url: z.string() }))
      .describe('where to listen for changes (OFREP ADR 0008): refetch when an event arrives'),
  })
  .meta({ id: 'BulkEvaluation' });
export type BulkEvaluation = z.infer<typeof BulkEvaluation>;
