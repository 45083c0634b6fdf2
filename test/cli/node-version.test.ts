/** The Node.js version warning: once, before the first npm a run starts, and never on runs that install nothing. */
import { describe, expect, it } from 'vitest';
import { oldNodeWarning, warnOnOldNode } from '../../src/cli/node-version.js';
import { recordingLogger } from '../helpers/generate.js';
import { recordingExec, runCli } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

describe('the Node.js version warning', () => {
  it('names an older Node.js, and nothing for the line generated projects run on', () => {
    expect(oldNodeWarning('20.20.2')).toMatch(/^archkit runs on Node 20\.20\.2; the projects it generates need Node >=22/);
    expect(oldNodeWarning('22.15.0')).toBeUndefined();
    expect(oldNodeWarning('24.1.0')).toBeUndefined();
  });

  it('is printed once, before the first npm, never before git', async () => {
    const log = recordingLogger();
    const exec = recordingExec();
    const wrapped = warnOnOldNode(exec, log, '20.20.2');
    await wrapped('git', ['init'], { cwd: '/x' });
    expect(log.warnings).toEqual([]);
    await wrapped('npm', ['install'], { cwd: '/x' });
    await wrapped('npm', ['run', 'lockfile'], { cwd: '/x' });
    expect(log.warnings).toHaveLength(1);
    expect(exec.calls).toEqual(['git init @ /x', 'npm install @ /x', 'npm run lockfile @ /x']);
    const current = recordingLogger();
    await warnOnOldNode(exec, current, '22.23.3')('npm', ['install'], { cwd: '/x' });
    expect(current.warnings).toEqual([]);
  });

  it('a run that installs nothing prints no warning, whatever Node.js runs it', async () => {
    for (const flags of [['--no-install'], ['--dry-run']]) {
      const run = await runCli(['init', 'shop', '--yes', '--no-git', ...flags], { cwd: tmpDir(), exec: recordingExec() });
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
    }
  });
});
