// The kinds of events this service knows, and the channels it has. A producer may only send a
// known type, so a typo is a 400, and each type says whether preferences may silence it.

export const CHANNELS = ['in_app', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface NotificationType {
  /** Critical notifications (security, billing) are delivered whatever the recipient's preferences say. */
  critical: boolean;
}

export const NOTIFICATION_TYPES = {
  'comment.created': { critical: false },
  'mention.created': { critical: false },
  'follower.added': { critical: false },
  'security.new-login': { critical: true },
} as const satisfies Record<string, NotificationType>;

export type NotificationTypeName = keyof typeof NOTIFICATION_TYPES;
export const TYPE_NAMES = Object.keys(NOTIFICATION_TYPES) as [NotificationTypeName, ...NotificationTypeName[]];
