import { SEMVER, type Clause, type Environment, type FlagDefinition, type VariantValue } from './flags.schemas.ts';
import { bucketOf, inRollout } from './rollout.ts';

// The evaluator: a pure function of a flag, an environment and a context. No I/O, no clock,
// and it never throws: whatever goes wrong is a result with reason ERROR and an error code.

/** The OpenFeature reasons this service gives. */
export const REASONS = ['TARGETING_MATCH', 'SPLIT', 'DEFAULT', 'DISABLED', 'ERROR'] as const;
export type Reason = (typeof REASONS)[number];
/** The OpenFeature error codes this service gives. */
export const ERROR_CODES = ['FLAG_NOT_FOUND', 'INVALID_CONTEXT', 'TARGETING_KEY_MISSING', 'GENERAL'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface Resolved {
  key: string;
  reason: Exclude<Reason, 'ERROR'>;
  variant: string;
  value: VariantValue;
  version: number;
}
export interface Failed {
  key: string;
  reason: 'ERROR';
  errorCode: ErrorCode;
  errorDetails: string;
}
export type Evaluation = Resolved | Failed;

/** The evaluation context: `targetingKey` identifies the user; any other key is an attribute rules can test. */
export type Context = Record<string, unknown> & { targetingKey?: string };

/** A context that cannot be evaluated: the caller's mistake, reported as INVALID_CONTEXT. */
class ContextError extends Error {}

/**
 * Checks the shape of a context: an object (or nothing: `{}`), whose targetingKey, when
 * present, is a string. Returns the context or what is wrong with it.
 */
export function readContext(context: unknown): { context: Context } | { invalid: string } {
  if (context === undefined) return { context: {} };
  if (typeof context !== 'object' || context === null || Array.isArray(context)) return { invalid: 'the context must be a JSON object' };
  const { targetingKey } = context as Record<string, unknown>;
  if (targetingKey !== undefined && (typeof targetingKey !== 'string' || targetingKey === '' || targetingKey.length > 200))
    return { invalid: 'targetingKey must be a string of 1 to 200 characters' };
  return { context: context as Context };
}

const failed = (key: string, errorCode: ErrorCode, errorDetails: string): Failed => ({ key, reason: 'ERROR', errorCode, errorDetails });

/**
 * Evaluates one flag, in this order: a missing flag → FLAG_NOT_FOUND (the caller keeps its
 * code default); a disabled environment → offVariant (DISABLED), whatever the context; a bad
 * context → INVALID_CONTEXT; the user's id in a target → TARGETING_MATCH; the first rule whose
 * clauses all hold → TARGETING_MATCH; a rollout → its variant or the fallthrough by bucket
 * (SPLIT); otherwise the fallthrough (DEFAULT).
 */
export function evaluate(flag: FlagDefinition | undefined, environment: Environment, context: unknown, key = flag?.key ?? ''): Evaluation {
  if (!flag) return failed(key, 'FLAG_NOT_FOUND', `No flag ${key}.`);
  try {
    return decide(flag, environment, context);
  } catch (error) {
    if (error instanceof ContextError) return failed(flag.key, 'INVALID_CONTEXT', error.message);
    return failed(flag.key, 'GENERAL', 'The flag could not be evaluated.');
  }
}

function decide(flag: FlagDefinition, environment: Environment, rawContext: unknown): Evaluation {
  const config = flag.environments[environment];
  const serve = (variant: string, reason: Resolved['reason']): Evaluation => {
    const value = flag.variants[variant];
    if (value === undefined) return failed(flag.key, 'GENERAL', `The flag names a variant it does not have (${variant}).`);
    return { key: flag.key, reason, variant, value, version: flag.version };
  };
  if (!config.enabled) return serve(flag.offVariant, 'DISABLED');
  const read = readContext(rawContext);
  if ('invalid' in read) return failed(flag.key, 'INVALID_CONTEXT', read.invalid);
  const { context } = read;
  const userId = context.targetingKey;
  if (userId !== undefined) {
    const target = config.targets.find(({ userIds }) => userIds.includes(userId));
    if (target) return serve(target.variant, 'TARGETING_MATCH');
  }
  const rule = config.rules.find(({ clauses }) => clauses.every((clause) => holds(clause, context)));
  if (rule) return serve(rule.variant, 'TARGETING_MATCH');
  if (config.rollout) {
    if (userId === undefined)
      return failed(flag.key, 'TARGETING_KEY_MISSING', 'This flag is rolled out by percentage: send a targetingKey.');
    const { variant, percentage } = config.rollout;
    return serve(inRollout(bucketOf(flag.key, flag.salt, userId), percentage) ? variant : config.fallthrough, 'SPLIT');
  }
  return serve(config.fallthrough, 'DEFAULT');
}

/**
 * Does the context satisfy one clause? An attribute the context does not have (or null) never
 * matches, for any operator. One of a type the operator cannot compare (an object, a string
 * where a number is compared, a version that is not MAJOR.MINOR.PATCH) is a ContextError.
 */
function holds({ attribute, operator, values }: Clause, context: Context): boolean {
  // Own keys only: a rule on `constructor` or `__proto__` must not see what every object inherits.
  const actual = Object.hasOwn(context, attribute) ? context[attribute] : undefined;
  if (actual === undefined || actual === null) return false;
  if (typeof actual === 'object')
    throw new ContextError(`${attribute} must be a string, number or boolean, not ${Array.isArray(actual) ? 'an array' : 'an object'}`);
  const [first] = values;
  switch (operator) {
    case 'equals':
      return actual === first;
    case 'in':
      return values.includes(actual as string | number | boolean);
    case 'not_in':
      return !values.includes(actual as string | number | boolean);
    case 'starts_with':
      if (typeof actual !== 'string') throw new ContextError(`${attribute} must be a string for starts_with`);
      return values.some((prefix) => actual.startsWith(String(prefix)));
    case 'gt':
    case 'lt':
      if (typeof actual !== 'number' || !Number.isFinite(actual)) throw new ContextError(`${attribute} must be a number for ${operator}`);
      return operator === 'gt' ? actual > Number(first) : actual < Number(first);
    case 'semver_gt':
    case 'semver_lt': {
      const order = compareVersions(versionOf(attribute, actual), versionOf(attribute, first));
      return operator === 'semver_gt' ? order > 0 : order < 0;
    }
  }
}

function versionOf(attribute: string, value: unknown): [number, number, number] {
  const match = typeof value === 'string' ? SEMVER.exec(value) : null;
  if (!match) throw new ContextError(`${attribute} must be a version written MAJOR.MINOR.PATCH, e.g. 2.4.1`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  for (let part = 0; part < 3; part += 1) {
    const difference = (a[part] ?? 0) - (b[part] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
