import { describe, expect, test } from '@jest/globals';
import { evaluate, readContext } from '../src/flags/evaluate.ts';
import type { EnvironmentConfig, FlagDefinition } from '../src/flags/flags.schemas.ts';
import { bucketOf } from '../src/flags/rollout.ts';

// The evaluator is a pure function: these tests call it directly, without HTTP or a database.

const environment = (overrides: Partial<EnvironmentConfig> = {}): EnvironmentConfig => ({
  enabled: true,
  targets: [],
  rules: [],
  rollout: null,
  fallthrough: 'control',
  ...overrides,
});

/** A string flag (control / treatment / beta / off) whose production environment is `production`. */
const aDefinition = (production: Partial<EnvironmentConfig> = {}): FlagDefinition => ({
  id: '665f1c2ab3d4e5f60718293a',
  key: 'checkout',
  version: 4,
  salt: 'a1b2c3d4',
  variants: { control: 'old', treatment: 'new', beta: 'beta', off: 'none' },
  offVariant: 'off',
  environments: { development: environment({ fallthrough: 'treatment' }), production: environment(production) },
});

const rule = (attribute: string, operator: string, values: Array<string | number | boolean>, variant = 'treatment') =>
  ({ clauses: [{ attribute, operator, values }], variant }) as EnvironmentConfig['rules'][number];

describe('evaluation order', () => {
  test('a missing flag is reason ERROR with FLAG_NOT_FOUND, so the caller keeps its code default', () => {
    expect(evaluate(undefined, 'production', { targetingKey: 'u1' }, 'nope')).toEqual({
      key: 'nope',
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
      errorDetails: 'No flag nope.',
    });
  });

  test('a disabled environment (the kill switch) serves offVariant with reason DISABLED, before targets, rules or rollout, and even for a bad context', () => {
    const flag = aDefinition({
      enabled: false,
      targets: [{ variant: 'beta', userIds: ['u1'] }],
      rules: [rule('plan', 'equals', ['pro'])],
      rollout: { variant: 'treatment', percentage: 100 },
    });

    for (const context of [{ targetingKey: 'u1', plan: 'pro' }, 'not an object', { targetingKey: 7 }])
      expect(evaluate(flag, 'production', context)).toEqual({
        key: 'checkout',
        reason: 'DISABLED',
        variant: 'off',
        value: 'none',
        version: 4,
      });
  });

  test('each environment is evaluated on its own configuration', () => {
    const flag = aDefinition({ enabled: false });

    expect(evaluate(flag, 'production', {})).toMatchObject({ reason: 'DISABLED', variant: 'off' });
    expect(evaluate(flag, 'development', {})).toMatchObject({ reason: 'DEFAULT', variant: 'treatment', value: 'new' });
  });

  test('a targeted user id wins over the rules and the rollout: TARGETING_MATCH', () => {
    const flag = aDefinition({
      targets: [{ variant: 'beta', userIds: ['u1', 'u2'] }],
      rules: [rule('plan', 'equals', ['pro'])],
      rollout: { variant: 'treatment', percentage: 100 },
    });

    expect(evaluate(flag, 'production', { targetingKey: 'u2', plan: 'pro' })).toMatchObject({ reason: 'TARGETING_MATCH', variant: 'beta' });
    expect(evaluate(flag, 'production', { targetingKey: 'u3', plan: 'pro' })).toMatchObject({
      reason: 'TARGETING_MATCH',
      variant: 'treatment',
    });
  });

  test('rules are tried in order; the first whose clauses all hold decides', () => {
    const flag = aDefinition({
      rules: [
        {
          clauses: [
            { attribute: 'plan', operator: 'equals', values: ['pro'] },
            { attribute: 'country', operator: 'in', values: ['FR', 'DE'] },
          ],
          variant: 'beta',
        },
        rule('plan', 'equals', ['pro'], 'treatment'),
      ],
    });

    expect(evaluate(flag, 'production', { plan: 'pro', country: 'DE' })).toMatchObject({ reason: 'TARGETING_MATCH', variant: 'beta' });
    expect(evaluate(flag, 'production', { plan: 'pro', country: 'US' })).toMatchObject({ reason: 'TARGETING_MATCH', variant: 'treatment' });
    expect(evaluate(flag, 'production', { plan: 'free', country: 'DE' })).toMatchObject({ reason: 'DEFAULT', variant: 'control' });
  });

  test('a rollout splits the users the rules did not match by their bucket: SPLIT, its variant below the percentage, the fallthrough above', () => {
    const flag = aDefinition({ rollout: { variant: 'treatment', percentage: 50 } });
    const users = ['user-1', 'user-2', 'user-3', 'user-4', 'user-5', 'user-6'];

    for (const user of users) {
      const expected = bucketOf('checkout', 'a1b2c3d4', user) < 5000 ? 'treatment' : 'control';
      expect(evaluate(flag, 'production', { targetingKey: user })).toMatchObject({ reason: 'SPLIT', variant: expected });
    }
    const variants = new Set(users.map((user) => (evaluate(flag, 'production', { targetingKey: user }) as { variant: string }).variant));
    expect(variants).toEqual(new Set(['treatment', 'control']));
  });

  test('with no target, rule or rollout that applies, the fallthrough is served: DEFAULT', () => {
    expect(evaluate(aDefinition(), 'production', {})).toEqual({
      key: 'checkout',
      reason: 'DEFAULT',
      variant: 'control',
      value: 'old',
      version: 4,
    });
    expect(evaluate(aDefinition(), 'production', undefined)).toMatchObject({ reason: 'DEFAULT' });
  });
});

describe('operators', () => {
  const matches = (attribute: string, operator: string, values: Array<string | number | boolean>, context: Record<string, unknown>) =>
    evaluate(aDefinition({ rules: [rule(attribute, operator, values)] }), 'production', context).reason === 'TARGETING_MATCH';

  test.each<[string, Array<string | number | boolean>, unknown, boolean]>([
    ['equals', ['pro'], 'pro', true],
    ['equals', ['pro'], 'Pro', false],
    ['equals', [1], '1', false],
    ['equals', [true], true, true],
    ['in', ['FR', 'DE'], 'DE', true],
    ['in', ['FR', 'DE'], 'US', false],
    ['not_in', ['FR', 'DE'], 'US', true],
    ['not_in', ['FR', 'DE'], 'FR', false],
    ['starts_with', ['admin@', 'ops@'], 'ops@example.com', true],
    ['starts_with', ['admin@'], 'ada@example.com', false],
    ['gt', [18], 21, true],
    ['gt', [18], 18, false],
    ['lt', [18], 17.5, true],
    ['lt', [18], 18, false],
    ['semver_gt', ['2.4.0'], '2.10.0', true],
    ['semver_gt', ['2.4.0'], '2.4.0', false],
    ['semver_gt', ['2.4.0'], 'v3.0.0', true],
    ['semver_lt', ['2.4.0'], '2.3.99', true],
    ['semver_lt', ['2.4.0'], '10.0.0', false],
  ])('%s %j against %j: %s', (operator, values, actual, expected) => {
    expect(matches('attr', operator, values, { attr: actual })).toBe(expected);
  });

  test.each(['equals', 'in', 'not_in', 'starts_with', 'gt', 'lt', 'semver_gt', 'semver_lt'])(
    '%s never matches a context without the attribute, or with null',
    (operator) => {
      const values = operator.startsWith('semver') ? ['1.0.0'] : operator === 'gt' || operator === 'lt' ? [1] : ['x'];
      expect(matches('attr', operator, values, {})).toBe(false);
      expect(matches('attr', operator, values, { attr: null })).toBe(false);
    },
  );

  test("a rule sees only the context's own keys: constructor and __proto__ are missing, not inherited", () => {
    const context = JSON.parse('{"__proto__": "x"}') as Record<string, unknown>;

    expect(matches('constructor', 'not_in', ['x'], {})).toBe(false);
    expect(matches('toString', 'not_in', ['x'], {})).toBe(false);
    expect(matches('__proto__', 'equals', ['x'], context)).toBe(true);
  });

  test('a rule can test the targetingKey like any attribute', () => {
    expect(matches('targetingKey', 'starts_with', ['staff-'], { targetingKey: 'staff-42' })).toBe(true);
  });
});

describe('a bad context never throws: reason ERROR with an error code', () => {
  test.each<[string, unknown]>([
    ['a string', 'user-1'],
    ['an array', ['user-1']],
    ['null', null],
    ['a numeric targetingKey', { targetingKey: 42 }],
    ['an empty targetingKey', { targetingKey: '' }],
  ])('a context that is %s: INVALID_CONTEXT', (_case, context) => {
    expect(evaluate(aDefinition(), 'production', context)).toMatchObject({
      key: 'checkout',
      reason: 'ERROR',
      errorCode: 'INVALID_CONTEXT',
    });
  });

  test.each<[string, string, Array<string | number>, unknown, RegExp]>([
    ['a string compared with gt', 'gt', [18], 'eighteen', /age must be a number/],
    ['an object compared with equals', 'equals', ['x'], { nested: true }, /age must be a string, number or boolean, not an object/],
    ['an array compared with in', 'in', ['x'], ['x'], /not an array/],
    ['a number compared with starts_with', 'starts_with', ['1'], 12, /age must be a string/],
    ['a version that is not MAJOR.MINOR.PATCH', 'semver_gt', ['1.0.0'], '1.0', /age must be a version/],
  ])('an attribute that is %s: INVALID_CONTEXT naming it', (_case, operator, values, actual, details) => {
    const evaluation = evaluate(aDefinition({ rules: [rule('age', operator, values)] }), 'production', { age: actual });

    expect(evaluation).toMatchObject({ reason: 'ERROR', errorCode: 'INVALID_CONTEXT', errorDetails: expect.stringMatching(details) });
  });

  test('a rollout without a targetingKey: TARGETING_KEY_MISSING (a rule that matches first still decides)', () => {
    const flag = aDefinition({ rules: [rule('plan', 'equals', ['pro'])], rollout: { variant: 'treatment', percentage: 30 } });

    expect(evaluate(flag, 'production', { plan: 'free' })).toMatchObject({ reason: 'ERROR', errorCode: 'TARGETING_KEY_MISSING' });
    expect(evaluate(flag, 'production', { plan: 'pro' })).toMatchObject({ reason: 'TARGETING_MATCH' });
  });

  test('a definition that names a variant it does not have, or is broken, is ERROR GENERAL rather than a throw', () => {
    const dangling = aDefinition({ fallthrough: 'gone' });
    const broken = { ...aDefinition(), environments: {} } as unknown as FlagDefinition;

    expect(evaluate(dangling, 'production', {})).toMatchObject({ reason: 'ERROR', errorCode: 'GENERAL' });
    expect(evaluate(broken, 'production', {})).toMatchObject({ reason: 'ERROR', errorCode: 'GENERAL' });
  });

  test('readContext: nothing is an empty context; an object passes as it is', () => {
    expect(readContext(undefined)).toEqual({ context: {} });
    expect(readContext({ targetingKey: 'u', plan: 'pro' })).toEqual({ context: { targetingKey: 'u', plan: 'pro' } });
  });
});
