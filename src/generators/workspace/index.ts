/** `arch init [dir]`: a new microservices workspace, in any directory. */
import path from 'node:path';
import { defineGenerator } from '../../generate/define-generator.js';
import { option } from '../../generate/options.js';
import { validateWorkspaceName } from '../../generate/names.js';
import { UsageError } from '../../errors.js';
import { archkitDependency } from '../../generate/self.js';
import { allowScripts, node } from '../../generate/versions.js';

export default defineGenerator({
  id: 'workspace',
  description: 'Create a microservices workspace (npm workspaces, compose, CI running arch check)',
  command: {
    name: 'init',
    args: [{ name: 'dir', option: 'dir' }],
    examples: ['archkit init shop', 'archkit init ~/work/shop', 'archkit init . --name shop --yes', 'archkit init shop --dry-run'],
  },
  scope: 'cwd',
  target: (options, cwd) => path.resolve(cwd, options.dir),
  options: {
    dir: option.string({
      description: 'Directory to create the workspace in (relative or absolute)',
      message: 'Where should the workspace go?',
      required: true,
      valueName: '<dir>',
      validate: (dir) => (dir.trim() === '' ? 'a directory is required' : undefined),
    }),
    name: option.string({
      description: 'Workspace package name (default: the directory name)',
      valueName: '<name>',
      default: ({ values, root }) => path.basename(path.resolve(root, String(values.dir ?? '.'))).toLowerCase(),
      validate: (name) => validateWorkspaceName(name),
    }),
    description: option.string({
      description: 'One line describing the system',
      valueName: '<text>',
      default: ({ values }) => `The ${String(values.name)} microservices workspace`,
    }),
  },
  async run(ctx) {
    const { dir, name, description } = ctx.options;
    const absolute = path.resolve(ctx.cwd, dir);
    // The tree is rooted at the directory itself when it exists, else at the nearest folder above it that does.
    const target = path.relative(ctx.root, absolute) || '.';
    if (target !== '.' && ctx.tree.exists(target)) throw new UsageError(`${dir} is a file, not a directory`);
    const entries = ctx.tree.listDisk(target).filter((e) => e !== '.git');
    if (entries.length > 0 && !ctx.force) {
      throw new UsageError(
        `${absolute === ctx.cwd ? 'the current directory' : dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''})`,
        'Choose an empty directory, or pass --force to add the workspace files anyway.',
      );
    }
    // archkit itself, as the workspace's devDependency: `npx arch` and `npx create-service` run this version.
    const archkit = await archkitDependency();
    ctx.render('workspace', target, { name, description, node, allowScripts, archkit: archkit.spec });
    if (archkit.tarball) ctx.tree.writeBytes(path.posix.join(target, archkit.tarball.path), archkit.tarball.bytes);
    ctx.task({ kind: 'install', title: 'Installing the workspace (npm install)', run: (exec) => exec('npm', ['install', '--no-audit', '--no-fund'], { cwd: absolute }) });
    if (!ctx.tree.listDisk(target).includes('.git')) {
      ctx.task({ kind: 'git', title: 'Initialising a git repository', run: (exec) => exec('git', ['init', '--quiet'], { cwd: absolute }) });
    }
  },
  nextSteps(ctx) {
    const where = ctx.userPath(path.resolve(ctx.cwd, ctx.options.dir));
    return [...(where === '.' ? [] : [`cd ${where}`]), ...(ctx.installs ? [] : ['npm install']), 'npx create-service orders'];
  },
});
