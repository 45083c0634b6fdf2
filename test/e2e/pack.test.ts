/** The npm tarball holds what the bins need at run time: the bundle, templates (with their `_dotfiles`), precompiled templates. */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/e2e.js';

describe('npm pack', () => {
  it('ships bins, the bundle, every template and the _dotfiles, and no tests', async () => {
    const { stdout } = await execa('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT });
    const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
    const files = pack!.files.map((f) => f.path);
    for (const required of [
      'bin/arch.js',
      'bin/create-service.js',
      'dist/bin/main.cjs',
      'dist/bin/launch.cjs',
      'dist/bin/source-worker.js',
      'dist/index.js',
      'dist/templates.precompiled/service.cjs',
      'dist/templates.precompiled/compose.cjs',
      'templates/workspace/common/_gitignore',
      'templates/workspace/common/_github/workflows/architecture.yml',
      'templates/service/common/_gitignore',
      'templates/service/common/_dockerignore',
      'templates/compose/service.yaml.hbs',
      'schema/arch.config.schema.json',
      'README.md',
      'package.json',
    ]) {
      expect(files, required).toContain(required);
    }
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('src/') || f.startsWith('bench/'))).toEqual([]);
    expect(files.filter((f) => /(^|\/)\.gitignore$/.test(f))).toEqual([]);
  });
});
