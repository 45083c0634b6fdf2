/** `arch init [dir]`: a new microservices workspace. */
import path from 'node:path';
import { defineGenerator } from '../../generate/define-generator.js';
import { option } from '../../generate/options.js';
import { validateWorkspaceName } from '../../generate/names.js';
import { UsageError } from '../../errors.js';
import { archkitDependencySpec } from '../../generate/self.js';
import { allowScripts, node } from '../../generate/versions.js';

export default defineGenerator({
  id: 'workspace',
  description: 'Create a microservices workspace (npm workspaces, compose, CI running arch check)',
  command: {
    name: 'init',
    args: [{ name: 'dir', option: 'dir' }],
    examples: ['arch init shop', 'arch init . --name shop --yes', 'arch init shop --dry-run'],
  },
  scope: 'cwd',
  options: {
    dir: option.string({
      description: 'Directory to create the workspace in',
      message: 'Where should the workspace go?',
      required: true,
      valueName: '<dir>',
      validate: (dir) => {
        if (dir.trim() === '') return 'a directory is required';
        if (dir.split(/[\\/]/).includes('..')) return `directory ${JSON.stringify(dir)} must not contain ".."`;
        return undefined;
      },
    }),
    name: option.string({
      description: 'Workspace package name (default: the directory name)',
      valueName: '<name>',
      default: ({ values, root }) => {
        const dir = String(values.dir ?? '.');
        return path.basename(path.resolve(root, dir)).toLowerCase();
      },
      validate: (name) => validateWorkspaceName(name),
    }),
    description: option.string({
      description: 'One line describing the system',
      valueName: '<text>',
      default: ({ values }) => `The ${String(values.name)} microservices workspace`,
    }),
  },
  run(ctx) {
    const { dir, name, description } = ctx.options;
    const target = dir === '.' || dir === './' ? '.' : ctx.tree.normalize(dir);
    const entries = ctx.tree.listDisk(target).filter((e) => e !== '.git');
    if (entries.length > 0 && !ctx.force) {
      throw new UsageError(
        `${target === '.' ? 'the current directory' : target} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''})`,
        'Choose an empty directory, or pass --force to add the workspace files anyway.',
      );
    }
    ctx.render('workspace', target, { name, description, node, allowScripts, archkit: archkitDependencySpec() });
    const cwd = path.join(ctx.root, target);
    // Installs archkit itself into the workspace, so `npx arch` and `npx create-service` run the pinned version.
    ctx.task({ kind: 'install', title: 'Installing the workspace (npm install)', run: (exec) => exec('npm', ['install', '--no-audit', '--no-fund'], { cwd }) });
    if (!ctx.tree.listDisk(target).includes('.git')) {
      ctx.task({ kind: 'git', title: 'Initialising a git repository', run: (exec) => exec('git', ['init', '--quiet'], { cwd }) });
    }
  },
  nextSteps(ctx) {
    const dir = ctx.options.dir;
    return [...(dir === '.' ? [] : [`cd ${dir}`]), 'npx create-service orders'];
  },
});
