import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository root: this file lives in shared/engines/src. */
export const repoRoot = resolve(import.meta.dirname, '../../..');

/** Git-ignored working folder for caches and dev data (`.hub/`). */
export function hubDir(...parts: string[]): string {
  const dir = resolve(repoRoot, '.hub', ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}
