// `pnpm test` runs every package's suite in one Jest run, so MongoDB and Redis start once.
import { globSync } from 'node:fs';

export default {
  projects: globSync(['shared/*/jest.config.js', 'projects/*/*/jest.config.js']).sort(),
};
