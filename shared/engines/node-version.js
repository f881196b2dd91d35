// Plain JavaScript on purpose, and no syntax newer than Node 14's: this runs before any .ts file
// is loaded, so that a Node too old to run TypeScript files says so in one line instead of an
// ERR_UNKNOWN_FILE_EXTENSION stack trace. The root `preinstall`, `pnpm dev` and `pnpm test`
// (hub-test) all go through it. The range must match package.json's "engines" (a test checks).
import { pathToFileURL } from 'node:url';

/** First releases that run .ts files without a flag (type stripping on by default), by major. */
const FIRST_WITH_TYPE_STRIPPING = { 22: [22, 18, 0], 23: [23, 6, 0] };
export const SUPPORTED_NODE = '^22.18.0 || >=23.6.0';

/** Why `version` (such as "20.20.2") cannot run the hub, in one line; undefined when it can. */
export function nodeVersionProblem(version) {
  const [major = 0, minor = 0, patch = 0] = String(version)
    .split('.')
    .map((part) => parseInt(part, 10) || 0);
  const first = FIRST_WITH_TYPE_STRIPPING[major];
  const runsTypeScript = major >= 24 || (first !== undefined && (minor - first[1] || patch - first[2]) >= 0);
  if (runsTypeScript) return undefined;
  return (
    `Backend Hub runs .ts files directly, which needs Node.js 22.18+, 23.6+ or 24 (recommended); this is Node ${version}. ` +
    'Get 24 with `nvm install 24` or `npm i -g node@24` (or from https://nodejs.org), then run the command again.'
  );
}

/** Ends this process with the one-line explanation when its Node cannot run the hub. */
export function requireSupportedNode() {
  const problem = nodeVersionProblem(process.versions.node);
  if (problem === undefined) return;
  console.error(problem);
  process.exit(1);
}

// `node shared/engines/node-version.js`: the check alone (the root preinstall runs it).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) requireSupportedNode();
