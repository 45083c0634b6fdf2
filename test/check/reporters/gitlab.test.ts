import { describe, expect, it } from 'vitest';
import gitlab from '../../../src/check/reporters/gitlab.js';
import { FIXTURES, FIXTURE_NAMES, ROOT, clean, errors, hostile, parseFailures, repositoryWide } from './__fixtures__/results.js';

const options = { color: false, root: ROOT, verbose: false };
type Issue = { type: string; check_name: string; description: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } };
const issues = (name: keyof typeof FIXTURES, anchor: string | null = null) => JSON.parse(gitlab(FIXTURES[name], { ...options, anchor })) as Issue[];

describe('gitlab reporter (Code Quality)', () => {
  it.for(FIXTURE_NAMES)('%s: one issue per finding with every field GitLab requires, fingerprints unique', (name) => {
    const list = issues(name, 'compose.yaml');
    expect(list).toHaveLength(FIXTURES[name].findings.length);
    for (const issue of list) {
      expect(Object.keys(issue).sort()).toEqual(['check_name', 'description', 'fingerprint', 'location', 'severity', 'type']);
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(issue.severity);
      expect(issue.location.path.length).toBeGreaterThan(0);
      expect(Number.isInteger(issue.location.lines.begin) && issue.location.lines.begin >= 1).toBe(true);
    }
    expect(new Set(list.map((i) => i.fingerprint)).size).toBe(list.length);
  });

  it('keeps the whole report stable', async () => {
    await expect(gitlab(errors, { ...options, anchor: 'arch.config.json' })).toMatchFileSnapshot('__snapshots__/gitlab/errors.json');
  });

  it('carries each finding\'s fingerprint, rule, message and place; errors are major, warnings minor', () => {
    const list = issues('errors', 'arch.config.json');
    expect(list.map((i) => i.fingerprint)).toEqual(errors.findings.map((f) => f.fingerprint));
    expect(list[2]).toEqual({
      type: 'issue',
      check_name: 'circuit-breakers',
      description: 'call to payments without a circuit breaker',
      fingerprint: errors.findings[2]!.fingerprint,
      severity: 'minor',
      location: { path: 'services/orders/src/payments-client.ts', lines: { begin: 128 } },
    });
    expect(list[1]!.severity).toBe('major');
  });

  it('points findings without a file or line at the anchor file or line 1', () => {
    expect(issues('repositoryWide', 'arch.config.json')[0]!.location).toEqual({ path: 'arch.config.json', lines: { begin: 1 } });
    expect(issues('repositoryWide')[0]!.location).toEqual({ path: '.', lines: { begin: 1 } });
    expect(issues('parseFailures')[1]!.location).toEqual({ path: parseFailures.findings[1]!.file, lines: { begin: 1 } });
    expect(repositoryWide.findings[0]!.file).toBeNull();
  });

  it('keeps hostile messages and paths as JSON text, and an empty report is an empty array', () => {
    const list = issues('hostile');
    expect(list.map((i) => i.description)).toEqual(hostile.findings.map((f) => f.message));
    expect(gitlab(clean, options)).toBe('[]\n');
  });
});
