import { existsSync, globSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, relative, resolve } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { repoRoot } from '@hub/engines';
import { marked } from 'marked';

// Every relative link in the READMEs and docs leads somewhere: to a file or folder of the
// repository and, for `#anchor` links into markdown, to a heading of that file (GitHub's slugs).

/** The markdown files a learner reads. */
const DOCUMENTS = ['README.md', 'projects/*/*/README.md', 'shared/*/README.md', 'docs/*.md'];

interface Link {
  file: string;
  line: number;
  target: string;
}

/** Each line outside fenced code blocks (``` or ~~~), with its index: where links, mentions and headings can be. */
function* proseLines(markdown: string): Generator<[number, string]> {
  let fence: string | undefined;
  for (const [index, line] of markdown.split('\n').entries()) {
    const opening = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (opening && (!fence || opening.startsWith(fence))) {
      fence = fence ? undefined : opening;
      continue;
    }
    if (!fence) yield [index, line];
  }
}

/** Where `markdown` links to, outside code: inline links and images, reference definitions, HTML href/src. */
export function linksIn(markdown: string): Array<{ line: number; target: string }> {
  const found: Array<{ line: number; target: string }> = [];
  for (const [index, raw] of proseLines(markdown)) {
    const text = raw.replace(/(`+)[^`]*?\1/g, ''); // code spans are not links
    const targets = [
      ...[...text.matchAll(/\]\(\s*<?([^()\s<>]+(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+["'(][^)]*)?\)/g)].map((match) => match[1]),
      ...[...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/g)].map((match) => match[1]),
      ...[...text.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/gi)].map((match) => match[1]),
    ];
    for (const target of targets) if (target) found.push({ line: index + 1, target });
  }
  return found;
}

/** The anchors GitHub gives a markdown file: one per heading (slugged, duplicates numbered), and explicit ids. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, line] of proseLines(markdown)) {
    for (const [, id] of line.matchAll(/\b(?:id|name)\s*=\s*["']([^"']+)["']/g)) if (id) anchors.add(id);
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link in a heading: its text
      .replace(/<[^>]+>/g, '')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/**
 * Markdown files named in the text rather than linked ("see STYLE.md", `docs/guide.md`), outside
 * code blocks and link targets: a reader looks for them too.
 */
export function mentionsIn(markdown: string): Array<{ line: number; target: string }> {
  const found: Array<{ line: number; target: string }> = [];
  for (const [index, raw] of proseLines(markdown)) {
    const prose = raw
      .replace(/\]\([^)]*\)/g, ']')
      .replace(/^\s{0,3}\[[^\]]+\]:.*$/, '')
      .replace(/\b[a-z][a-z\d+.-]*:\/\/\S+/gi, '');
    for (const [, target] of prose.matchAll(/(?<![\w/.-])([\w.-][\w./-]*\.md)\b/g)) if (target) found.push({ line: index + 1, target });
  }
  return found;
}

/** Markdown files named but not linked that exist nowhere: not next to the document, not from the root, not by that name anywhere. */
export function missingMentions(root: string, documents = DOCUMENTS): Array<Link & { problem: string }> {
  const skip = (path: string) => /(^|\/)(node_modules|\.git|\.hub)(\/|$)/.test(path);
  const everywhere = new Set(globSync('**/*.md', { cwd: root, exclude: skip }).map((file) => basename(file)));
  const missing: Array<Link & { problem: string }> = [];
  for (const file of globSync(documents, { cwd: root }).sort()) {
    for (const { line, target } of mentionsIn(readFileSync(resolve(root, file), 'utf8'))) {
      const found =
        existsSync(resolve(root, dirname(file), target)) ||
        existsSync(resolve(root, target)) ||
        (!target.includes('/') && everywhere.has(target));
      if (!found) missing.push({ file, line, target, problem: 'is named but is not in the repository' });
    }
  }
  return missing;
}

/** Every relative link of the documents under `root` that leads nowhere, with why. */
export function brokenLinks(root: string, documents = DOCUMENTS): Array<Link & { problem: string }> {
  const broken: Array<Link & { problem: string }> = [];
  for (const file of globSync(documents, { cwd: root }).sort()) {
    const source = resolve(root, file);
    for (const { line, target } of linksIn(readFileSync(source, 'utf8'))) {
      if (/^[a-z][a-z\d+.-]*:/i.test(target) || target.startsWith('//')) continue; // http:, mailto:, …
      const [pathPart = '', anchor] = target.split('#', 2);
      let path: string;
      try {
        path = decodeURIComponent(pathPart.split('?')[0] ?? '');
      } catch {
        broken.push({ file, line, target, problem: 'is not a valid URL' });
        continue;
      }
      const destination = path === '' ? source : path.startsWith('/') ? resolve(root, `.${path}`) : resolve(dirname(source), path);
      const shown = relative(root, destination) || '.';
      if (!existsSync(destination)) {
        broken.push({ file, line, target, problem: `${shown} does not exist` });
      } else if (relative(root, destination).startsWith('..')) {
        broken.push({ file, line, target, problem: `${shown} is outside the repository` });
      } else if (
        anchor &&
        statSync(destination).isFile() &&
        destination.endsWith('.md') &&
        !anchorsOf(readFileSync(destination, 'utf8')).has(anchor)
      ) {
        broken.push({ file, line, target, problem: `${shown} has no heading #${anchor}` });
      }
    }
  }
  return broken;
}

describe('the link checker', () => {
  const scratch = mkdtempSync(resolve(tmpdir(), 'hub-links-test-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(resolve(scratch, file)), { recursive: true });
    writeFileSync(resolve(scratch, file), text);
  };

  test('reports a missing file, a missing folder and a missing heading, and nothing else', () => {
    write('docs/guide.md', '# The guide\n\n## How it works: `startRedis()`\n\n## Notes\n\n## Notes\n');
    write('projects/level-01/counter/src/app.ts', '');
    write(
      'projects/level-01/counter/README.md',
      [
        '# Counter',
        'See [the guide](../../../docs/guide.md), [how](../../../docs/guide.md#how-it-works-startredis),',
        '[notes](../../../docs/guide.md#notes-1), [the code](src/app.ts), [src](src/) and [up](#counter).',
        '![picture](pic.png) [style](../../../STYLE.md) [gone](../../../docs/guide.md#no-such-heading) [here](#nowhere)',
        '[site](https://example.com) [mail](mailto:a@example.com) `[not a link](missing.md)`',
        '```',
        '[in a code block](missing-too.md)',
        '```',
        '[ref]: ./lib/',
      ].join('\n'),
    );

    expect(brokenLinks(scratch).map(({ line, target, problem }) => `${line} ${target}: ${problem}`)).toEqual([
      '4 pic.png: projects/level-01/counter/pic.png does not exist',
      '4 ../../../STYLE.md: STYLE.md does not exist',
      '4 ../../../docs/guide.md#no-such-heading: docs/guide.md has no heading #no-such-heading',
      '4 #nowhere: projects/level-01/counter/README.md has no heading #nowhere',
      '9 ./lib/: projects/level-01/counter/lib does not exist',
    ]);
  });

  test('reports a markdown file named in the text that exists nowhere', () => {
    write('docs/guide.md', '# The guide\n');
    write(
      'projects/level-02/todo/README.md',
      'Read docs/guide.md and `guide.md`, this README.md, or [the guide](../../../docs/guide.md).\nSee STYLE.md, or `docs/anatomy.md`.\n```\nCHANGES.md\n```\n',
    );

    expect(
      missingMentions(scratch)
        .filter(({ file }) => file.includes('todo'))
        .map(({ line, target }) => `${line} ${target}`),
    ).toEqual(['2 STYLE.md', '2 docs/anatomy.md']);
  });

  test('slugs headings the way GitHub does', () => {
    expect([
      ...anchorsOf('# How services find their databases\n## Running with Docker\n### `pnpm dev` — 1, 2 & 3\n## A [link](x.md) here\n'),
    ]).toEqual(['how-services-find-their-databases', 'running-with-docker', 'pnpm-dev--1-2--3', 'a-link-here']);
  });
});

describe('the READMEs and docs of this repository', () => {
  test('have no relative link that leads nowhere', () => {
    const files = globSync(DOCUMENTS, { cwd: repoRoot });
    expect(files).toContain('README.md');
    expect(files.filter((file) => file.startsWith('projects/')).length).toBeGreaterThan(0);

    expect(brokenLinks(repoRoot).map(({ file, line, target, problem }) => `${file}:${line} ${target}: ${problem}`)).toEqual([]);
  });

  test('name no markdown file that is not in the repository', () => {
    expect(missingMentions(repoRoot).map(({ file, line, target, problem }) => `${file}:${line} ${target} ${problem}`)).toEqual([]);
  });

  test('hold no raw HTML outside code: GitHub strips it, and on the hub page a <script> or <id> swallows what follows', () => {
    // The tags marked writes for markdown itself; anything else came from the text as it was.
    const markdownTags = new Set(['h1', 'h2', 'h3', 'h4', 'p', 'a', 'code', 'pre', 'em', 'strong', 'del', 'ul', 'ol', 'li']);
    for (const tag of ['table', 'thead', 'tbody', 'tr', 'th', 'td', 'blockquote', 'hr', 'br', 'img', 'input']) markdownTags.add(tag);
    const raw = globSync(DOCUMENTS, { cwd: repoRoot }).flatMap((file) => {
      const html = marked.parse(readFileSync(resolve(repoRoot, file), 'utf8'), { async: false });
      return [...html.matchAll(/<([a-z][a-z\d-]*)/gi)].flatMap(([, tag = '']) =>
        markdownTags.has(tag.toLowerCase()) ? [] : [`${file}: <${tag}>`],
      );
    });
    expect(raw).toEqual([]);
  });
});
