import { clientBody, newPassword, objectId } from '@hub/core';
import { z } from 'zod';

// Request schemas: what validate() accepts at the edge. Anything else is a 400 naming the field.

/** POST /shares. */
export const ShareInput = clientBody(
  z.object({
    file: objectId.meta({ description: 'the id of one of your files' }),
    expiresInSeconds: z
      .int()
      .min(60)
      .max(30 * 24 * 3600)
      .optional()
      .meta({ description: 'the link answers 410 after this long; never, when absent' }),
    password: newPassword.optional().meta({ description: 'downloads must send it in X-Share-Password' }),
    maxDownloads: z.int().min(1).max(10_000).optional().meta({ description: 'the link answers 410 once used up; unlimited when absent' }),
  }),
);
export type ShareInput = z.output<typeof ShareInput>;

/** A share token: 32 random bytes in base64url, 43 characters. */
export const ShareToken = z.strictObject({ token: z.string().regex(/^[\w-]{43}$/, 'must be a 43-character share token') });

export const ShareDownloadHeaders = z.object({
  'x-share-password': z.string().max(200).optional(),
  range: z.string().max(200).optional(),
});

// Response schemas.

export const ShareView = z
  .object({
    id: z.string(),
    file: z.string(),
    token: z.string().meta({ description: 'shown once: only its hash is stored' }),
    url: z.string().meta({ description: 'the download link, relative to this service' }),
    expiresAt: z.iso.datetime().nullable(),
    maxDownloads: z.int().nullable(),
    passwordProtected: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Share' });
export type ShareView = z.infer<typeof ShareView>;
