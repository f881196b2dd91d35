import { describe, expect, test } from '@jest/globals';
import { filterFrom } from '../src/cli.ts';
import { withDatabase } from '../src/launch.ts';
import { builtProjects, closeMatches, findProject, LaunchError } from '../src/projects.ts';

const projects = builtProjects();

describe('finding the service a --filter names', () => {
  test.each(['level-01/counter', 'projects/level-01/counter', './projects/level-01/counter/', 'counter'])(
    '"%s" finds level-01/counter',
    (filter) => {
      const project = findProject(filter, projects);

      expect(project.name).toBe('level-01/counter');
      expect(project.dir).toMatch(/projects\/level-01\/counter$/);
      expect(project.needs).toEqual(['mongo']);
    },
  );

  test('a service of the catalogue that is not built yet is named as such', () => {
    expect(() => findProject('level-07/audit-log', projects)).toThrow(LaunchError);
    expect(() => findProject('audit-log', projects)).toThrow(/level-07\/audit-log is in the catalogue but not built yet/);
  });

  test('a typo gets the close matches', () => {
    expect(() => findProject('level-01/countr', projects)).toThrow(/Did you mean level-01\/counter\?/);
    expect(() => findProject('jwt', projects)).toThrow(/Did you mean level-03\/jwt-auth\?/);
  });

  test('a name like nothing gets no suggestion, but the way to see the catalogue', () => {
    expect(() => findProject('xyzzy', projects)).toThrow(
      'No service is called "xyzzy". Run `pnpm dev` without --filter to see the catalogue.',
    );
  });

  test('close matches are ranked, at most three', () => {
    expect(closeMatches('level-01/helth-check', ['level-01/health-check', 'level-01/counter'])).toEqual(['level-01/health-check']);
    expect(closeMatches('queue', ['level-05/email-queue', 'level-05/notification-queue', 'level-01/counter'])).toEqual([
      'level-05/email-queue',
      'level-05/notification-queue',
    ]);
  });
});

describe('reading the command line', () => {
  test.each([
    [['--filter', 'level-01/counter'], 'level-01/counter'],
    [['--filter=level-01/counter'], 'level-01/counter'],
    [['-F', 'counter'], 'counter'],
    [['counter'], 'counter'],
    [[], undefined],
  ])('%j → %s', (args, filter) => {
    expect(filterFrom(args)).toBe(filter);
  });
});

describe('the MongoDB URL a service gets', () => {
  test('names the service database unless the URL already names one', () => {
    expect(withDatabase('mongodb://127.0.0.1:4000', 'level-01-counter')).toBe('mongodb://127.0.0.1:4000/level-01-counter');
    expect(withDatabase('mongodb://127.0.0.1:27017/?replicaSet=rs0', 'level-01-counter')).toBe(
      'mongodb://127.0.0.1:27017/level-01-counter?replicaSet=rs0',
    );
    expect(withDatabase('mongodb://127.0.0.1:27017/mine', 'level-01-counter')).toBe('mongodb://127.0.0.1:27017/mine');
  });
});
