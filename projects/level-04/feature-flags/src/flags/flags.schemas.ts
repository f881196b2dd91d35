import { clientBody, pageOf, pageQuery } from '@hub/core';
import { z } from 'zod';

// Request schemas: what validate() accepts at the edge. Anything else is a 400 naming the field.

/** Every flag has one configuration per environment; the list is fixed, so a typo is a 400. */
export const ENVIRONMENTS = ['development', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const EnvironmentName = z.enum(ENVIRONMENTS);

export const OPERATORS = ['equals', 'in', 'not_in', 'starts_with', 'gt', 'lt', 'semver_gt', 'semver_lt'] as const;
export type Operator = (typeof OPERATORS)[number];
/** Operators that compare with exactly one value. */
const SINGLE_VALUE: readonly Operator[] = ['equals', 'gt', 'lt', 'semver_gt', 'semver_lt'];

/** `1.2.3` (an optional leading v): what semver_gt and semver_lt compare. Pre-release tags are not supported. */
export const SEMVER = /^v?(\d{1,9})\.(\d{1,9})\.(\d{1,9})$/;

export const FlagKey = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'must be 1 to 64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit',
  )
  .meta({ example: 'new-checkout' });

const VariantName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'must be 1 to 32 letters, digits, dashes or underscores, starting with a letter or digit')
  .meta({ example: 'on' });
const VariantValue = z.union([z.boolean(), z.string().max(1000), z.number()]);
export type VariantValue = z.infer<typeof VariantValue>;

const ClauseValue = z.union([z.string().max(200), z.number(), z.boolean()]);

const Clause = z
  .strictObject({
    attribute: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .meta({ example: 'plan', description: 'a key of the evaluation context, e.g. plan, country, appVersion' }),
    operator: z.enum(OPERATORS),
    values: z.array(ClauseValue).min(1).max(100),
  })
  .superRefine((clause, ctx) => {
    const issue = (message: string) => ctx.addIssue({ code: 'custom', message, path: ['values'] });
    if (SINGLE_VALUE.includes(clause.operator) && clause.values.length !== 1) issue(`${clause.operator} compares with exactly one value`);
    if ((clause.operator === 'gt' || clause.operator === 'lt') && !clause.values.every((value) => typeof value === 'number'))
      issue(`${clause.operator} compares numbers`);
    if (clause.operator.startsWith('semver_') && !clause.values.every((value) => typeof value === 'string' && SEMVER.test(value)))
      issue(`${clause.operator} compares versions written MAJOR.MINOR.PATCH`);
    if (clause.operator === 'starts_with' && !clause.values.every((value) => typeof value === 'string' && value !== ''))
      issue('starts_with compares with non-empty strings');
  });
export type Clause = z.output<typeof Clause>;

const Rule = z.strictObject({
  clauses: z.array(Clause).min(1).max(20).meta({ description: 'all of them must hold' }),
  variant: VariantName,
});
export type Rule = z.output<typeof Rule>;

const Target = z.strictObject({
  variant: VariantName,
  userIds: z.array(z.string().min(1).max(200)).min(1).max(1000).meta({ description: 'targeting keys that always get this variant' }),
});

/** A share of users, in steps of 0.01 %: the rollout hashes each user into 10,000 buckets. */
const Percentage = z
  .number()
  .min(0)
  .max(100)
  .refine((percentage) => Math.abs(percentage * 100 - Math.round(percentage * 100)) < 1e-9, 'must have at most two decimals')
  .meta({ example: 30 });

const Rollout = z.strictObject({ variant: VariantName, percentage: Percentage });

const EnvironmentInput = z.strictObject({
  enabled: z.boolean().default(false).meta({ description: 'false is the kill switch: everyone gets offVariant' }),
  targets: z.array(Target).max(50).default([]),
  rules: z.array(Rule).max(200).default([]).meta({ description: 'tried in order; the first whose clauses all hold decides' }),
  rollout: Rollout.nullable()
    .default(null)
    .meta({ description: 'percentage of the remaining users who get variant; the others get fallthrough' }),
  fallthrough: VariantName.optional().meta({ description: 'what everyone else gets; offVariant when absent' }),
});

const FlagFields = {
  description: z.string().trim().max(500).default(''),
  variants: z
    .record(VariantName, VariantValue)
    .default({ on: true, off: false })
    .meta({ description: 'variant name → value; all values of one type (boolean, string or number). Default {on: true, off: false}' }),
  offVariant: VariantName.default('off').meta({ description: 'served while an environment is disabled' }),
  environments: z
    .strictObject({ development: EnvironmentInput.optional(), production: EnvironmentInput.optional() })
    .default({})
    .meta({ description: 'an environment left out is disabled, with no targeting' }),
};

type FlagFieldsOutput = z.output<z.ZodObject<typeof FlagFields>>;

/** Every variant a flag names must exist, and its values must share one type. */
function checkVariants(flag: FlagFieldsOutput, ctx: z.RefinementCtx) {
  const names = Object.keys(flag.variants);
  const known = (name: string | undefined, path: Array<string | number>) => {
    if (name !== undefined && !names.includes(name)) ctx.addIssue({ code: 'custom', message: `no variant named ${name}`, path });
  };
  if (names.length === 0 || names.length > 20) ctx.addIssue({ code: 'custom', message: 'a flag has 1 to 20 variants', path: ['variants'] });
  if (new Set(Object.values(flag.variants).map((value) => typeof value)).size > 1)
    ctx.addIssue({ code: 'custom', message: 'all variants must have values of one type', path: ['variants'] });
  known(flag.offVariant, ['offVariant']);
  for (const name of ENVIRONMENTS) {
    const environment = flag.environments[name];
    if (!environment) continue;
    const at = ['environments', name];
    known(environment.fallthrough, [...at, 'fallthrough']);
    known(environment.rollout?.variant, [...at, 'rollout', 'variant']);
    environment.targets.forEach((target, index) => known(target.variant, [...at, 'targets', index, 'variant']));
    environment.rules.forEach((rule, index) => known(rule.variant, [...at, 'rules', index, 'variant']));
  }
}

/** POST /flags. Server-set fields (_id, createdAt…) are accepted and dropped; any other unknown field is a 400. */
export const FlagCreate = clientBody(z.object({ key: FlagKey, ...FlagFields })).superRefine(checkVariants);
export type FlagCreate = z.output<typeof FlagCreate>;

/**
 * PUT /flags/:key: the whole definition, replaced. A flag read with GET can be sent back as it
 * is: its key (it must be the path's), salt and version come along; the version may stand in
 * for If-Match.
 */
export const FlagReplace = clientBody(
  z.object({
    key: FlagKey.optional().meta({ description: 'if sent, must be the key in the path' }),
    salt: z.string().max(100).optional().meta({ description: 'set by the server at creation; ignored' }),
    version: z.int().min(1).optional().meta({ description: 'the version this edit starts from, instead of If-Match' }),
    ...FlagFields,
  }),
).superRefine(checkVariants);
export type FlagReplace = z.output<typeof FlagReplace>;

export const FlagKeyParams = z.strictObject({ key: FlagKey });

/**
 * If-Match on a write: the strong tag `"<version>"` from the ETag. Parsed to the version;
 * `*`, weak tags and lists are refused, because a write must name the one version it read.
 */
export const IfMatch = z.object({
  'if-match': z
    .string()
    .trim()
    .regex(/^"\d{1,15}"$/, 'must be "<version>", the ETag you read')
    .transform((tag) => Number(tag.slice(1, -1)))
    .optional()
    .meta({ description: '"<version>" from the ETag. Without it (and without version in the body) a write answers 428.', example: '"1"' }),
});

export const FlagListQuery = pageQuery({});
export type FlagListQuery = z.output<typeof FlagListQuery>;

// Response schemas: what the API promises to send back (they also write the OpenAPI document).

const EnvironmentView = z
  .object({
    enabled: z.boolean(),
    targets: z.array(z.object({ variant: z.string(), userIds: z.array(z.string()) })),
    rules: z.array(
      z.object({
        clauses: z.array(z.object({ attribute: z.string(), operator: z.enum(OPERATORS), values: z.array(ClauseValue) })),
        variant: z.string(),
      }),
    ),
    rollout: z.object({ variant: z.string(), percentage: z.number() }).nullable(),
    fallthrough: z.string(),
  })
  .meta({ id: 'FlagEnvironment' });
export type EnvironmentConfig = z.infer<typeof EnvironmentView>;

/** What the evaluator reads: everything that decides a flag's value, nothing else. */
export interface FlagDefinition {
  /** The stored document's id: a flag deleted and created again under the same key is another flag. */
  id: string;
  key: string;
  version: number;
  salt: string;
  variants: Record<string, VariantValue>;
  offVariant: string;
  environments: Record<Environment, EnvironmentConfig>;
}

export const FlagView = z
  .object({
    key: z.string(),
    description: z.string(),
    variants: z.record(z.string(), VariantValue),
    offVariant: z.string(),
    environments: z.object({ development: EnvironmentView, production: EnvironmentView }),
    salt: z.string().describe('mixed into the rollout hash; fixed at creation'),
    version: z.int().min(1).describe('also sent as the ETag header: "<version>"'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Flag' });
export type FlagView = z.infer<typeof FlagView>;

export const FlagPage = pageOf(FlagView, 'FlagPage');
