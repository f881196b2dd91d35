import { AppError, conflict, notFound, ownedBy, paginate, type Page, type Principal } from '@hub/core';
import type { Cache } from '@hub/core/cache';
import { checkUrl, type Resolve } from '@hub/core/url-safety';
import { ClickCount } from '../clicks/click-count.model.ts';
import { Link, type LinkRecord } from './link.model.ts';
import type { LinkInput, LinkListQuery, LinkPatch, LinkView } from './links.schemas.ts';

/** What the redirect needs of a link, as the cache holds it (by code). */
export interface CachedLink {
  id: string;
  url: string;
  expiresAt: string | null;
  maxVisits: number | null;
}
export type LinkCache = Cache<CachedLink>;

export interface LinkServiceDeps {
  cache: LinkCache;
  now: () => Date;
  resolve: Resolve;
  newCode: () => string;
  /** PUBLIC_BASE_URL: the start of every short URL. */
  baseUrl: string;
  /** Host names that are this service: a link may not point back at it. */
  ownHosts: readonly string[];
}

/** Random codes tried before giving up: at 62^7 codes, a second collision in a row means something is wrong. */
const CODE_ATTEMPTS = 5;

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;
const fieldProblem = (status: number, code: string, field: string, message: string) =>
  new AppError(status, code, `${field} ${message}.`, { errors: [{ in: 'body', field, message }] });
// Someone else's link and a link that does not exist get the same answer.
const noSuchLink = (id: string) => notFound(`You have no link ${id}.`);

export const toCachedLink = (link: LinkRecord): CachedLink => ({
  id: String(link._id),
  url: link.url,
  expiresAt: link.expiresAt ? link.expiresAt.toISOString() : null,
  maxVisits: link.maxVisits ?? null,
});

/** The link use cases: each a single MongoDB operation, then the cache told what changed. */
export function createLinkService({ cache, now, resolve, newCode, baseUrl, ownHosts }: LinkServiceDeps) {
  const toView = (link: LinkRecord): LinkView => ({
    id: String(link._id),
    code: link.code,
    shortUrl: `${baseUrl}/${link.code}`,
    url: link.url,
    expiresAt: link.expiresAt ? link.expiresAt.toISOString() : null,
    maxVisits: link.maxVisits ?? null,
    visitsLeft: typeof link.maxVisits === 'number' ? Math.max(0, link.maxVisits - link.visits) : null,
    createdAt: link.createdAt.toISOString(),
    updatedAt: link.updatedAt.toISOString(),
  });

  /** 422 naming `url` unless it is http(s), not this service, and resolves only to public addresses. */
  async function safeUrl(url: string): Promise<string> {
    const verdict = await checkUrl(url, { resolve, ownHosts });
    if (!verdict.safe) throw fieldProblem(422, 'unsafe-url', 'url', verdict.reason);
    return verdict.url.href;
  }

  function futureExpiry(expiresAt: string | null | undefined): Date | null | undefined {
    if (expiresAt === undefined || expiresAt === null) return expiresAt;
    const at = new Date(expiresAt);
    if (at <= now()) throw fieldProblem(422, 'expiry-in-the-past', 'expiresAt', 'must be in the future');
    return at;
  }

  /** Inserts under `code`; the unique index answers whether it is taken (11000), not a read first. */
  async function insert(code: string, fields: Record<string, unknown>): Promise<LinkRecord | undefined> {
    try {
      return (await Link.create({ ...fields, code })).toObject();
    } catch (error) {
      if (isDuplicateKey(error)) return undefined;
      throw error;
    }
  }

  return {
    async createLink(principal: Principal, input: LinkInput): Promise<LinkView> {
      const fields = {
        owner: principal.id,
        url: await safeUrl(input.url),
        expiresAt: futureExpiry(input.expiresAt) ?? null,
        maxVisits: input.maxVisits ?? null,
      };
      let link: LinkRecord | undefined;
      if (input.alias) {
        link = await insert(input.alias, fields);
        if (!link) throw conflict(`The alias ${input.alias} is taken.`, [{ in: 'body', field: 'alias', message: 'is taken' }]);
      } else {
        for (let attempt = 0; !link && attempt < CODE_ATTEMPTS; attempt += 1) link = await insert(newCode(), fields);
        if (!link) throw new AppError(503, 'no-free-code', `No free code after ${CODE_ATTEMPTS} tries; try again.`, { isTrusted: true });
      }
      // A visit to this code before it existed may have cached "not found".
      await cache.invalidate(link.code);
      return toView(link);
    },

    async readLink(principal: Principal, id: string): Promise<LinkView> {
      const link = await Link.findOne({ _id: id, ...ownedBy(principal) }).lean<LinkRecord>();
      if (!link) throw noSuchLink(id);
      return toView(link);
    },

    listLinks(principal: Principal, page: LinkListQuery): Promise<Page<LinkView>> {
      return paginate(Link, { filter: ownedBy(principal), sort: { createdAt: -1 }, map: toView }, page);
    },

    /** One findOneAndUpdate filtered by owner, then the cached copy is dropped: the next redirect reads the new one. */
    async updateLink(principal: Principal, id: string, patch: LinkPatch): Promise<LinkView> {
      const $set: Record<string, unknown> = {};
      if (patch.url !== undefined) $set.url = await safeUrl(patch.url);
      if (patch.expiresAt !== undefined) $set.expiresAt = futureExpiry(patch.expiresAt);
      if (patch.maxVisits !== undefined) $set.maxVisits = patch.maxVisits;
      const link = await Link.findOneAndUpdate(
        { _id: id, ...ownedBy(principal) },
        { $set },
        { returnDocument: 'after' },
      ).lean<LinkRecord>();
      if (!link) throw noSuchLink(id);
      await cache.invalidate(link.code);
      return toView(link);
    },

    async deleteLink(principal: Principal, id: string): Promise<void> {
      const link = await Link.findOneAndDelete({ _id: id, ...ownedBy(principal) }).lean<LinkRecord>();
      if (!link) throw noSuchLink(id);
      await cache.invalidate(link.code);
      await ClickCount.deleteMany({ link: link._id });
    },
  };
}
export type LinkService = ReturnType<typeof createLinkService>;
