import { randomBytes } from 'node:crypto';
import { AppError, badRequest, conflict, notFound, paginate, type Page, type Principal } from '@hub/core';
import { recordChange } from '../audit/audit.service.ts';
import { Flag, type FlagRecord } from './flag.model.ts';
import {
  ENVIRONMENTS,
  type EnvironmentConfig,
  type FlagCreate,
  type FlagDefinition,
  type FlagListQuery,
  type FlagReplace,
  type FlagView,
} from './flags.schemas.ts';
import type { LiveFlags } from './live-flags.ts';

// The use cases: database work, no req or res. Each write is one conditional MongoDB operation,
// then its audit entry, then the announcement to every instance.

const toView = (flag: FlagRecord): FlagView => ({
  key: flag.key,
  description: flag.description ?? '',
  variants: flag.variants as FlagView['variants'],
  offVariant: flag.offVariant,
  environments: flag.environments as FlagView['environments'],
  salt: flag.salt,
  version: flag.version,
  createdAt: flag.createdAt.toISOString(),
  updatedAt: flag.updatedAt.toISOString(),
});

/** What the evaluator needs of a stored flag. */
export const toDefinition = (flag: FlagRecord): FlagDefinition => ({
  id: String(flag._id),
  key: flag.key,
  version: flag.version,
  salt: flag.salt,
  variants: flag.variants as FlagDefinition['variants'],
  offVariant: flag.offVariant,
  environments: flag.environments as FlagDefinition['environments'],
});

/** Every environment spelled out: one left out of the body is disabled, with no targeting, falling through to offVariant. */
function storedFields(input: FlagCreate | FlagReplace) {
  const environments = Object.fromEntries(
    ENVIRONMENTS.map((name): [string, EnvironmentConfig] => {
      const given = input.environments[name];
      return [
        name,
        {
          enabled: given?.enabled ?? false,
          targets: given?.targets ?? [],
          rules: given?.rules ?? [],
          rollout: given?.rollout ?? null,
          fallthrough: given?.fallthrough ?? input.offVariant,
        },
      ];
    }),
  );
  return { description: input.description, variants: input.variants, offVariant: input.offVariant, environments };
}

const noSuchFlag = (key: string) => notFound(`No flag ${key}.`);

/** The version a write starts from, and how the client said it (If-Match → 412 when stale, body → 409). */
export interface ExpectedVersion {
  version: number;
  via: 'if-match' | 'body';
}

/** If-Match or `version` in the body; a write with neither could overwrite an edit it never saw, so it is refused (428). */
export function expectedVersion(ifMatch: number | undefined, bodyVersion: number | undefined): ExpectedVersion {
  if (ifMatch !== undefined && bodyVersion !== undefined && ifMatch !== bodyVersion)
    throw badRequest('If-Match and version say different things.', [
      { in: 'body', field: 'version', message: `must match If-Match (${ifMatch})` },
    ]);
  if (ifMatch !== undefined) return { version: ifMatch, via: 'if-match' };
  if (bodyVersion !== undefined) return { version: bodyVersion, via: 'body' };
  throw new AppError(
    428,
    'precondition-required',
    'Send If-Match: "<version>" (the ETag you read) or version in the body, so no edit is lost.',
    {
      errors: [{ in: 'headers', field: 'if-match', message: 'required: "<version>" from the ETag, or version in the body' }],
    },
  );
}

export async function createFlag(actor: Principal, input: FlagCreate, live: LiveFlags): Promise<FlagView> {
  let flag: FlagRecord;
  try {
    const created = await Flag.create({ key: input.key, ...storedFields(input), salt: randomBytes(8).toString('hex') });
    flag = created.toObject();
  } catch (error) {
    if ((error as { code?: unknown }).code === 11000) throw conflict(`A flag ${input.key} exists already.`);
    throw error;
  }
  const view = toView(flag);
  await recordChange(actor, 'create', null, view);
  await live.changed(flag.key, toDefinition(flag));
  return view;
}

export async function readFlag(key: string): Promise<FlagView> {
  const flag = await Flag.findOne({ key }).lean<FlagRecord>();
  if (!flag) throw noSuchFlag(key);
  return toView(flag);
}

export async function listFlags(page: FlagListQuery): Promise<Page<FlagView>> {
  return paginate(Flag, { filter: {}, sort: { key: 1 }, map: toView }, page);
}

/**
 * Replaces the definition in ONE update whose filter holds the version the client read. Two
 * admins who both read version 3 both send it; the first write moves the flag to 4, the second
 * then matches nothing and is told so, and neither edit is silently lost.
 */
export async function replaceFlag(actor: Principal, key: string, input: FlagReplace, expected: ExpectedVersion, live: LiveFlags) {
  if (input.key !== undefined && input.key !== key)
    throw badRequest('The key cannot change.', [{ in: 'body', field: 'key', message: `must be ${key}, the key in the path` }]);
  const updatedAt = new Date();
  const before = await Flag.findOneAndUpdate(
    { key, version: expected.version },
    { $set: { ...storedFields(input), updatedAt }, $inc: { version: 1 } },
    { returnDocument: 'before', timestamps: false },
  ).lean<FlagRecord>();
  if (!before) throw await whyNothingMatched(key, expected);
  const after: FlagRecord = { ...before, ...storedFields(input), updatedAt, version: before.version + 1 };
  const view = toView(after);
  await recordChange(actor, 'update', toView(before), view);
  await live.changed(key, toDefinition(after));
  return view;
}

/** Deletes with the same precondition: the flag is still at the version the client read. */
export async function deleteFlag(actor: Principal, key: string, expected: ExpectedVersion, live: LiveFlags): Promise<void> {
  const before = await Flag.findOneAndDelete({ key, version: expected.version }).lean<FlagRecord>();
  if (!before) throw await whyNothingMatched(key, expected);
  await recordChange(actor, 'delete', toView(before), null);
  await live.changed(key, null);
}

/**
 * The conditional write matched nothing: 404 when there is no such flag, otherwise it is at
 * another version: 412 for a stale If-Match, 409 for a stale body version. This read only
 * explains the refusal; the write already decided.
 */
async function whyNothingMatched(key: string, expected: ExpectedVersion): Promise<AppError> {
  const current = await Flag.findOne({ key }, { version: 1 }).lean<Pick<FlagRecord, 'version'>>();
  if (!current) return noSuchFlag(key);
  const detail = `Flag ${key} is at version ${current.version}, not ${expected.version}: someone changed it since you read it. Read it again and redo your edit.`;
  const headers = { ETag: etagOf(current) };
  return expected.via === 'if-match'
    ? new AppError(412, 'precondition-failed', detail, { headers })
    : new AppError(409, 'conflict', detail, { headers });
}

/** A strong ETag: the version, quoted. */
export const etagOf = (flag: { version: number }) => `"${flag.version}"`;

/** The data access the live snapshot reloads from. */
export const loadAllDefinitions = async (): Promise<FlagDefinition[]> => (await Flag.find({}).lean<FlagRecord[]>()).map(toDefinition);
export const loadDefinition = async (key: string): Promise<FlagDefinition | null> => {
  const flag = await Flag.findOne({ key }).lean<FlagRecord>();
  return flag ? toDefinition(flag) : null;
};
