/** The Node versions the hub runs on, as package.json's "engines" states them. */
export const SUPPORTED_NODE: string;
/** Why `version` (such as "20.20.2") cannot run the hub, in one line; undefined when it can. */
export function nodeVersionProblem(version: string): string | undefined;
/** Ends this process with the one-line explanation when its Node cannot run the hub. */
export function requireSupportedNode(): void;
