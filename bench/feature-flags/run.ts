// `pnpm --filter @hub/bench-feature-flags bench`: the in-process cost of one evaluation, the work
// behind every OFREP request. The flag is the worst case the API allows a realistic admin to
// build: 100 targeted user ids, 100 rules of two clauses each that the context does not match
// (so every rule is tried), then a 30 % rollout (one SHA-1). Each call is timed on its own; the
// script prints p50, p99 and the maximum, and exits 1 when p99 misses the goal (0.1 ms).
import { evaluate } from '../../projects/level-04/feature-flags/src/flags/evaluate.ts';
import type { EnvironmentConfig, FlagDefinition } from '../../projects/level-04/feature-flags/src/flags/flags.schemas.ts';

const EVALUATIONS = Number(process.env.BENCH_EVALUATIONS ?? 200_000);
const WARM_UP = 20_000;
const GOAL_MS = 0.1;

const operators: Array<EnvironmentConfig['rules'][number]['clauses'][number]> = [
  { attribute: 'plan', operator: 'in', values: ['enterprise', 'partner'] },
  { attribute: 'country', operator: 'not_in', values: ['FR', 'DE', 'NL'] },
  { attribute: 'email', operator: 'starts_with', values: ['staff@', 'ops@'] },
  { attribute: 'age', operator: 'gt', values: [65] },
  { attribute: 'appVersion', operator: 'semver_lt', values: ['1.0.0'] },
];

// Rule n: one clause the context fails, after one it passes when n is even, so half the rules test two clauses.
const rules: EnvironmentConfig['rules'] = Array.from({ length: 100 }, (_, n) => ({
  clauses: [
    ...(n % 2 === 0 ? [{ attribute: 'country', operator: 'in' as const, values: ['FR', 'DE'] }] : []),
    operators[n % operators.length] ?? { attribute: 'plan', operator: 'equals', values: ['never'] },
  ],
  variant: 'on',
}));

const production: EnvironmentConfig = {
  enabled: true,
  targets: [{ variant: 'on', userIds: Array.from({ length: 100 }, (_, n) => `vip-${n}`) }],
  rules,
  rollout: { variant: 'on', percentage: 30 },
  fallthrough: 'off',
};
const flag: FlagDefinition = {
  id: '665f1c2ab3d4e5f60718293a',
  key: 'new-checkout',
  version: 7,
  salt: 'f00dfeed',
  variants: { on: true, off: false },
  offVariant: 'off',
  environments: { development: production, production },
};

const contextOf = (n: number) => ({
  targetingKey: `user-${n}`,
  plan: 'pro',
  country: 'FR',
  email: 'ada@example.com',
  age: 36,
  appVersion: '2.4.1',
});

let split = 0;
for (let n = 0; n < WARM_UP; n += 1) evaluate(flag, 'production', contextOf(n));
const durations = new Float64Array(EVALUATIONS);
for (let n = 0; n < EVALUATIONS; n += 1) {
  const context = contextOf(n);
  const start = process.hrtime.bigint();
  const result = evaluate(flag, 'production', context);
  durations[n] = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.reason !== 'SPLIT') throw new Error(`expected every evaluation to reach the rollout, got ${result.reason}`);
  if (result.variant === 'on') split += 1;
}
durations.sort();
const at = (quantile: number) => durations[Math.min(EVALUATIONS - 1, Math.floor(quantile * EVALUATIONS))] ?? Number.NaN;
const p99 = at(0.99);

console.log(
  `evaluate(): 100 targets, 100 rules (150 clauses) tried, then a 30 % rollout; ${EVALUATIONS} evaluations after ${WARM_UP} warm-up`,
);
console.log(`p50 ${(at(0.5) * 1000).toFixed(1)} µs, p99 ${(p99 * 1000).toFixed(1)} µs, max ${(at(1) * 1000).toFixed(1)} µs`);
console.log(`${((split / EVALUATIONS) * 100).toFixed(2)} % of users in the 30 % rollout`);
console.log(p99 < GOAL_MS ? `p99 is under the ${GOAL_MS} ms goal` : `p99 misses the ${GOAL_MS} ms goal`);
if (p99 >= GOAL_MS) process.exitCode = 1;
