// A StrykerJS ignorer: no mutants in what only the API documentation reads.
// - A string given as `summary` or `description` (a route's `{ summary, description, responses }`):
//   it is read by people in /docs, never by code, and a test pinning each sentence would only
//   test the spelling.
// - The argument of zod's `.meta({ description, example, id })`: metadata for the OpenAPI
//   document (words, an example value, the component's name), which parsing never reads.
// Everything around them is still mutated: a route's doc object, its responses, the schemas
// themselves, a tag, every validation rule.
const WORDING = new Set(['summary', 'description']);

/** @param {{ node: any, parent?: any }} path a Babel NodePath */
function shouldIgnore({ node, parent }) {
  if (node.type === 'ObjectProperty' && WORDING.has(node.key?.name ?? node.key?.value)) {
    if (node.value.type === 'StringLiteral' || node.value.type === 'TemplateLiteral') return 'API documentation wording';
  }
  const isMetaArgument =
    parent?.type === 'CallExpression' &&
    parent.arguments.includes(node) &&
    parent.callee.type === 'MemberExpression' &&
    parent.callee.property.name === 'meta';
  if (isMetaArgument) return "zod's .meta(): OpenAPI metadata, never read when parsing";
  return undefined;
}

/** Stryker reads this export; `kind: 'Ignore'` is PluginKind.Ignore of @stryker-mutator/api. */
export const strykerPlugins = [{ kind: 'Ignore', name: 'hub-doc-wording', value: { shouldIgnore } }];
