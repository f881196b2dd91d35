import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  name: string;
  version: string;
  description: string;
}

/**
 * The name, version and description of the package a module belongs to, read from its
 * package.json: `createApp({ ...packageInfo(import.meta.url), … })` from `src/app.ts`.
 */
export function packageInfo(moduleUrl: string): PackageInfo {
  const file = fileURLToPath(new URL('../package.json', moduleUrl));
  const { name = 'service', version = '0.0.0', description = '' } = JSON.parse(readFileSync(file, 'utf8')) as Partial<PackageInfo>;
  return { name, version, description };
}
