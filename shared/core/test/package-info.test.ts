import { describe, expect, test } from '@jest/globals';
import { packageInfo } from '../src/index.ts';

describe('packageInfo()', () => {
  test("reads name, version and description from the package.json next to the module's folder", () => {
    const info = packageInfo(import.meta.url);

    expect(info.name).toBe('@hub/core');
    expect(info.version).toBe('0.1.0');
    expect(info.description).toMatch(/^The request pipeline every Backend Hub service shares/);
  });
});
