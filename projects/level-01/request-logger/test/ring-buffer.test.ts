import { describe, expect, test } from '@jest/globals';
import { RingBuffer } from '../src/logs/ring-buffer.ts';

describe('RingBuffer', () => {
  test('a capacity of 1 keeps the last item; 0, negative or fractional capacities are refused', () => {
    const buffer = new RingBuffer<number>(1);
    buffer.push(1);
    buffer.push(2);

    expect(buffer.entries()).toEqual([2]);
    for (const capacity of [0, -1, 1.5]) expect(() => new RingBuffer(capacity)).toThrow(RangeError);
  });

  test('when not yet full, keeps every item, oldest first', () => {
    const buffer = new RingBuffer<number>(3);

    buffer.push(1);
    buffer.push(2);

    expect(buffer.entries()).toEqual([1, 2]);
    expect(buffer.size).toBe(2);
    expect(buffer.capacity).toBe(3);
  });

  test('when full, each push drops the oldest item and the size stays at capacity', () => {
    const buffer = new RingBuffer<number>(3);

    for (let item = 1; item <= 7; item += 1) buffer.push(item);

    expect(buffer.entries()).toEqual([5, 6, 7]);
    expect(buffer.size).toBe(3);
  });

  test('wraps around many times without losing order', () => {
    const buffer = new RingBuffer<string>(4);

    for (let item = 0; item < 1003; item += 1) buffer.push(`item-${item}`);

    expect(buffer.entries()).toEqual(['item-999', 'item-1000', 'item-1001', 'item-1002']);
  });

  test('entries() is a copy: changing it does not change the buffer', () => {
    const buffer = new RingBuffer<number>(2);
    buffer.push(1);

    buffer.entries().push(99);

    expect(buffer.entries()).toEqual([1]);
  });

  test('an empty buffer has no entries', () => {
    expect(new RingBuffer<number>(5).entries()).toEqual([]);
  });

  test.each([0, -1, 2.5, Number.NaN])('refuses a capacity of %p', (capacity) => {
    expect(() => new RingBuffer<number>(capacity)).toThrow(RangeError);
  });
});
