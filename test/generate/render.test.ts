import { describe, expect, it } from 'vitest';
import { renderTemplateFile, renderSet } from '../../src/generate/render.js';
import { Tree } from '../../src/generate/tree.js';
import { tmpDir } from '../helpers/tmp.js';

describe('render', () => {
  it('is strict: a misspelled variable throws and names the template', () => {
    expect(() => renderTemplateFile('compose/service.yaml.hbs', { name: 'x' })).toThrow(/template compose\/service\.yaml\.hbs: .*not defined/);
  });

  it('renames dotfiles, replaces __name__ in paths and keeps executable bits', () => {
    const tree = new Tree(tmpDir());
    const files = renderSet(tree, 'workspace', 'shop', { name: 'shop', description: 'd', node: { engines: '>=22', major: 22 }, archkit: '^0.1.0' });
    expect(files).toContain('shop/.gitignore');
    expect(files).toContain('shop/.github/workflows/architecture.yml');
    expect(files).toContain('shop/.env.example');
    expect(files.some((f) => f.includes('_gitignore') || f.endsWith('.hbs'))).toBe(false);
  });

});

