import { clientBody } from '@hub/core';
import { z } from 'zod';
import { CHANNELS, TYPE_NAMES } from '../notifications/notification-types.ts';

const Muted = z.strictObject({ type: z.enum(TYPE_NAMES), channel: z.enum(CHANNELS) });

/** PUT /preferences: the whole set, replacing the previous one. Critical types are delivered anyway. */
export const PreferencesInput = clientBody(
  z.object({
    mutedChannels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).default([]).meta({ description: 'channels off for every type' }),
    mutedTypes: z.array(Muted).max(50).default([]).meta({ description: 'one type off on one channel' }),
  }),
);
export type PreferencesInput = z.output<typeof PreferencesInput>;

export const PreferencesView = z
  .object({
    mutedChannels: z.array(z.enum(CHANNELS)),
    mutedTypes: z.array(Muted),
    criticalTypes: z.array(z.string()).meta({ description: 'delivered whatever the preferences say' }),
  })
  .meta({ id: 'Preferences' });
export type PreferencesView = z.infer<typeof PreferencesView>;
