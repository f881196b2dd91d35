/**
 * A fixed-size buffer that keeps the last `capacity` items pushed. Pushing into a full buffer
 * overwrites the oldest item, so memory never grows past `capacity` items however long the
 * process runs. Nothing is ever shifted: a push writes one slot and moves one index.
 */
export class RingBuffer<T> {
  readonly capacity: number;
  private readonly slots: Array<T | undefined>;
  /** Where the next push writes; once full, also where the oldest item sits. */
  private next = 0;
  private count = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number ≥ 1, got ${capacity}`);
    this.capacity = capacity;
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  /** How many items it holds now: grows to `capacity`, then stays there. */
  get size(): number {
    return this.count;
  }

  /** Adds `item`; when full, the oldest item is dropped to make room. */
  push(item: T): void {
    this.slots[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** A copy of the items, oldest first (the order they were pushed in). */
  entries(): T[] {
    const oldest = this.count < this.capacity ? 0 : this.next;
    return Array.from({ length: this.count }, (_, offset) => this.slots[(oldest + offset) % this.capacity] as T);
  }
}
