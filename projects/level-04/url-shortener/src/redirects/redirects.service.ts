import { AppError, notFound } from '@hub/core';
import type { ClickRecorder } from '../clicks/click-recorder.ts';
import { deviceOf, isBot, referrerOf } from '../clicks/visitor.ts';
import { Link, type LinkRecord } from '../links/link.model.ts';
import { toCachedLink, type CachedLink, type LinkCache } from '../links/links.service.ts';

export interface Visit {
  code: string;
  /** HEAD asks where a link goes without visiting it: no visit is used, no click counted. */
  head: boolean;
  userAgent: string | undefined;
  referer: string | undefined;
}

export interface RedirectDeps {
  cache: LinkCache;
  clicks: ClickRecorder;
  now: () => Date;
}

const gone = (detail: string) => new AppError(410, 'gone', detail);
const noSuchCode = (code: string) => notFound(`No link has the code ${code}.`);

/**
 * Where a code goes. The link comes from the cache (cache-aside: Redis, else MongoDB), so a
 * hot code costs one Redis read. Expiry is checked against the clock here. A link with a visit
 * limit takes one more step, in MongoDB, every time: one conditional $inc whose filter says
 * "fewer visits than the limit", so N concurrent visits of a link allowing k give exactly k
 * redirects, whatever the cache holds. The click itself is queued, never awaited.
 */
export function createRedirectService({ cache, clicks, now }: RedirectDeps) {
  const load = async (code: string) => {
    const link = await Link.findOne({ code }).lean<LinkRecord>();
    return link ? toCachedLink(link) : null;
  };

  /** Uses one of the link's visits, or explains (410, 404) why there is none left; answers the link as it was used. */
  async function useVisit(code: string, link: CachedLink & { maxVisits: number }, at: Date, head: boolean): Promise<CachedLink> {
    // The cached limit is in the filter too: after an edit it no longer matches, and the
    // document itself decides below (the edit's invalidation also clears the cache).
    const filter = { _id: link.id, maxVisits: link.maxVisits, visits: { $lt: link.maxVisits } };
    const allowed = head
      ? await Link.exists(filter)
      : await Link.findOneAndUpdate(filter, { $inc: { visits: 1 } }, { projection: { _id: 1 } });
    if (allowed) return link;
    const current = await Link.findOne({ _id: link.id }).lean<LinkRecord>();
    if (!current) {
      await cache.invalidate(code);
      throw noSuchCode(code);
    }
    if (current.maxVisits !== link.maxVisits) {
      await cache.invalidate(code);
      return visitLink(toCachedLink(current), code, at, head);
    }
    throw gone(`The link ${code} has had its ${link.maxVisits} visits.`);
  }

  async function visitLink(link: CachedLink, code: string, at: Date, head: boolean): Promise<CachedLink> {
    if (link.expiresAt !== null && Date.parse(link.expiresAt) <= at.getTime()) throw gone(`The link ${code} expired at ${link.expiresAt}.`);
    return link.maxVisits === null ? link : useVisit(code, { ...link, maxVisits: link.maxVisits }, at, head);
  }

  return {
    /** The target URL of a visit, its click queued; 404 for no such code, 410 expired or used up. */
    async visit({ code, head, userAgent, referer }: Visit): Promise<string> {
      const link = await cache.get(code, () => load(code));
      if (!link) throw noSuchCode(code);
      const at = now();
      const used = await visitLink(link, code, at, head);
      if (!head) clicks.record({ link: used.id, at, referrer: referrerOf(referer), device: deviceOf(userAgent), bot: isBot(userAgent) });
      return used.url;
    },
  };
}
export type RedirectService = ReturnType<typeof createRedirectService>;
