import { isbot } from 'isbot';

export type Device = 'desktop' | 'mobile' | 'tablet' | 'unknown';

/** desktop, mobile or tablet from a User-Agent; unknown without one. Tablets first: an iPad says "Mobile" too. */
export function deviceOf(userAgent: string | undefined): Device {
  if (!userAgent) return 'unknown';
  if (/iPad|Tablet|Kindle|Silk|Android(?!.*Mobile)/i.test(userAgent)) return 'tablet';
  if (/Mobi|iPhone|iPod|Android|Windows Phone/i.test(userAgent)) return 'mobile';
  return 'desktop';
}

/** Crawlers, link-preview fetchers, monitors and scripts (the isbot list); no User-Agent at all counts as one too. */
export const isBot = (userAgent: string | undefined) => !userAgent || isbot(userAgent);

/** The referring site's host name, or "direct" when there is none (or it is not a URL). */
export function referrerOf(referer: string | undefined): string {
  if (!referer) return 'direct';
  try {
    return new URL(referer).hostname.toLowerCase() || 'direct';
  } catch {
    return 'direct';
  }
}
