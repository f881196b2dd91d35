// A generated catalogue: the same items for the same seed, every time (a small PRNG, no Math.random).
import type { ItemInput } from './items.schemas.ts';

export const CATEGORIES = ['kitchen', 'garden', 'office', 'outdoor', 'lighting', 'bath', 'toys', 'books', 'audio', 'sport'] as const;
export const TAGS = ['eco', 'handmade', 'sale', 'new', 'gift', 'bestseller', 'compact', 'premium', 'vintage', 'kids', 'pro', 'travel'] as const;

const ADJECTIVES = ['blue', 'green', 'red', 'amber', 'rustic', 'modern', 'classic', 'compact', 'sturdy', 'elegant', 'vintage', 'portable', 'wireless', 'organic', 'handcrafted', 'minimal', 'bright', 'soft', 'heavy', 'light', 'smart', 'folding', 'naïve', 'crème', 'señor', 'über', 'matte', 'glossy', 'slim', 'tall', 'round', 'square', 'oval', 'curved', 'striped', 'dotted', 'woven', 'carved', 'polished', 'brushed', 'recycled', 'waterproof', 'insulated', 'adjustable', 'stackable', 'reversible', 'cordless', 'silent', 'rugged', 'delicate', 'cosy', 'airy'];
const MATERIALS = ['ceramic', 'oak', 'bamboo', 'steel', 'linen', 'cotton', 'glass', 'walnut', 'copper', 'leather', 'wool', 'granite', 'porcelain', 'aluminium', 'rattan', 'marble', 'cork', 'jute', 'silk', 'velvet', 'brass', 'pine', 'teak', 'cherry', 'maple', 'birch', 'slate', 'terracotta', 'enamel', 'titanium', 'felt', 'hemp', 'acacia', 'concrete', 'resin'];
const NOUNS = ['mug', 'lamp', 'chair', 'table', 'kettle', 'speaker', 'notebook', 'backpack', 'blanket', 'planter', 'bottle', 'headphones', 'shelf', 'basket', 'teapot', 'lantern', 'racket', 'puzzle', 'towel', 'journal', 'skillet', 'hammock', 'desk', 'candle', 'clock', 'vase', 'bowl', 'plate', 'tray', 'stool', 'bench', 'rug', 'cushion', 'mirror', 'frame', 'wallet', 'satchel', 'umbrella', 'thermos', 'grinder', 'whisk', 'ladle', 'colander', 'tumbler', 'jug', 'pitcher', 'coaster', 'trivet', 'apron', 'scarf', 'glove', 'beanie', 'sneaker', 'sandal', 'helmet', 'kite', 'drone', 'radio', 'turntable', 'amplifier', 'keyboard', 'mouse', 'monitor', 'charger', 'tripod', 'easel', 'sketchbook', 'pen', 'pencil'];
const PHRASES = ['made for everyday use', 'easy to clean', 'built to last for years', 'a favourite gift', 'designed in a small workshop', 'with a lifetime warranty', 'perfect for a café corner', 'light enough to carry anywhere', 'finished by hand', 'sourced from renewable forests', 'quiet and efficient', 'a classic shape with a modern twist', 'tested by our studio team', 'shipped in plastic-free packaging', 'loved by reviewers', 'great for small flats', 'a bestseller since launch', 'ready for the garden party', 'dishwasher safe', 'suits any décor', 'packed with clever details', 'an heirloom in the making', 'inspired by Nordic design', 'the crème de la crème of its kind', 'ideal for long weekends', 'fair-trade certified', 'calm colours for busy mornings', 'a tidy desk companion'];

/** mulberry32: a 32-bit PRNG, plenty for test data. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type GeneratedItem = ItemInput & { createdAt: Date };

/** `count` items, the same ones for the same `seed`; created over the year before `until`, oldest first. */
export function generateCatalogue(count: number, seed = 42, until = new Date('2026-01-01T00:00:00Z')): GeneratedItem[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const yearMs = 365 * 24 * 3600 * 1000;
  return Array.from({ length: count }, (_, index) => {
    const [adjective, material, noun] = [pick(ADJECTIVES), pick(MATERIALS), pick(NOUNS)];
    const sentences = Array.from({ length: 2 + Math.floor(next() * 3) }, () => `A ${pick(ADJECTIVES)} ${pick(MATERIALS)} ${pick(NOUNS)}, ${pick(PHRASES)}.`);
    const tags = [...new Set(Array.from({ length: Math.floor(next() * 4) }, () => pick(TAGS)))];
    return {
      title: `${adjective} ${material} ${noun}`.replace(/^./, (first) => first.toUpperCase()),
      description: sentences.join(' '),
      category: pick(CATEGORIES),
      price: 199 + Math.floor(next() * 50_000),
      tags,
      createdAt: new Date(until.getTime() - yearMs + Math.floor((index / Math.max(count, 1)) * yearMs)),
    };
  });
}
