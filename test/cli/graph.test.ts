/** `arch graph --out`: a file it cannot write is bad input (one line, exit 2), never a raw error. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

describe('arch graph --out', () => {
  it('writes the graph to the file', async () => {
    const cwd = tmpDir();
    const run = await runCli(['graph', '--format', 'json', '--out', 'graph.json'], { cwd });
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(JSON.parse(readFileSync(path.join(cwd, 'graph.json'), 'utf8'))).toBeTypeOf('object');
  });

  it.for([
    ['a folder that does not exist', 'nonexistent/x.mmd', /^error cannot write --out nonexistent\/x\.mmd: its folder does not exist\n$/],
    ['a folder', 'out', /^error cannot write --out out: EISDIR\n$/],
  ] as const)('to %s: one line, exit 2, nothing written', async ([, out, message]) => {
    const cwd = tmpDir();
    mkdirSync(path.join(cwd, 'out'));
    const run = await runCli(['graph', '--out', out], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(existsSync(path.join(cwd, 'nonexistent'))).toBe(false);
  });
});
