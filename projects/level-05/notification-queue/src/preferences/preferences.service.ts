import { CHANNELS, NOTIFICATION_TYPES, TYPE_NAMES, type Channel, type NotificationTypeName } from '../notifications/notification-types.ts';
import { Preference } from './preference.model.ts';
import type { PreferencesInput, PreferencesView } from './preferences.schemas.ts';

const criticalTypes = TYPE_NAMES.filter((type) => NOTIFICATION_TYPES[type].critical);

const toView = (mutedChannels: string[], mutedTypes: string[]): PreferencesView => ({
  mutedChannels: CHANNELS.filter((channel) => mutedChannels.includes(channel)),
  mutedTypes: mutedTypes.map((pair) => {
    const [type, channel] = pair.split('/') as [NotificationTypeName, Channel];
    return { type, channel };
  }),
  criticalTypes,
});

export async function readPreferences(user: string): Promise<PreferencesView> {
  const preference = await Preference.findById(user).lean();
  return toView(preference?.mutedChannels ?? [], preference?.mutedTypes ?? []);
}

/** One upsert of the whole set; the worker reads it when it sends, not when the event arrived. */
export async function setPreferences(user: string, input: PreferencesInput): Promise<PreferencesView> {
  const mutedTypes = [...new Set(input.mutedTypes.map(({ type, channel }) => `${type}/${channel}`))];
  const mutedChannels = [...new Set(input.mutedChannels)];
  const write = () => Preference.updateOne({ _id: user }, { $set: { mutedChannels, mutedTypes } }, { upsert: true });
  await write().catch((error: { code?: number }) => (error.code === 11000 ? write() : Promise.reject(error)));
  return toView(mutedChannels, mutedTypes);
}
