import mongoose from 'mongoose';
import type { LinkStats } from '../links/links.schemas.ts';
import { ClickCount } from './click-count.model.ts';

type Group = { _id: string | boolean; clicks: number };

/** One $group over one link's counters, most clicks first (ties by key), or oldest day first. */
const countBy = (match: Record<string, unknown>, field: string, sort: Record<string, 1 | -1>) =>
  ClickCount.aggregate<Group>([{ $match: match }, { $group: { _id: `$${field}`, clicks: { $sum: '$clicks' } } }, { $sort: sort }]);

/** A link's clicks: bots counted apart, and left out of the breakdowns by day, referrer and device. */
export async function statsOf(linkId: string): Promise<LinkStats> {
  const link = new mongoose.Types.ObjectId(linkId);
  const humans = { link, bot: false };
  const [byBot, byDay, byReferrer, byDevice] = await Promise.all([
    countBy({ link }, 'bot', { _id: 1 }),
    countBy(humans, 'day', { _id: 1 }),
    countBy(humans, 'referrer', { clicks: -1, _id: 1 }),
    countBy(humans, 'device', { clicks: -1, _id: 1 }),
  ]);
  const humanClicks = byBot.find((group) => group._id === false)?.clicks ?? 0;
  const botClicks = byBot.find((group) => group._id === true)?.clicks ?? 0;
  return {
    total: humanClicks + botClicks,
    humans: humanClicks,
    bots: botClicks,
    byDay: byDay.map(({ _id, clicks }) => ({ day: String(_id), clicks })),
    byReferrer: byReferrer.map(({ _id, clicks }) => ({ referrer: String(_id), clicks })),
    byDevice: byDevice.map(({ _id, clicks }) => ({ device: String(_id), clicks })),
  };
}
