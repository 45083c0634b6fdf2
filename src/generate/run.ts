/**
 * The generation pipeline.
 *
 *   finish interrupted writes (dry run: wait, or stop when one is unfinished)
 *     → interactive? scan → resolveOptions with prompts (outside the lock: no one waits on a person)
 *     → take the workspace lock (wait for another writer, bounded)  → UsageError
 *     → recover interrupted writes of dead processes
 *     → scan(root) → RepoModel (after the lock: what other writers left is seen)
 *     → requires(model)?                         → UsageError
 *     → resolveOptions(flags and answers, defaults) → UsageError
 *     → generator.run(ctx) writes into the Tree
 *     → manual steps?                            → ManualStepsError (nothing written)
 *     → plan; a link out of the root?            → UsageError (nothing written)
 *     → conflicts without --force?               → ConflictError (nothing written)
 *     → --check? plan of what is out of date     → OutOfDateError (exit 1, nothing written)
 *     → log.plan → (dry run: stop) → flush (all or nothing) → release the lock → tasks → next steps
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConflictError, ManualStepsError, OutOfDateError, TaskError, UsageError } from '../errors.js';
import { findWorkspaceRoot, scan } from '../model/scan.js';
import type { RepoModel } from '../model/types.js';
import type { Exec, GeneratorContext, GeneratorDefinition, Task } from './define-generator.js';
import { flush, recover, type FlushHooks } from './flush.js';
import { editJsonText, upsertDependency } from './json.js';
import { acquireLock } from './lock.js';
import type { Logger } from './logger.js';
import { resolveOptions, type Ask, type OptionValues, type OptionsSpec } from './options.js';
import { renderSet, renderTemplateFile } from './render.js';
import { finishInterruptedWrites } from './settle.js';
import { Tree, existingAncestor, type PlannedFile } from './tree.js';
import { packageVersion } from './versions.js';
import { mergeComposeFragment } from './yaml/compose.js';

export interface RunEnv {
  cwd: string;
  ask: Ask;
  log: Logger;
  /** Prompts allowed (TTY and no --yes). */
  interactive: boolean;
  dryRun: boolean;
  /** `--check` (sync generators): write nothing; out of date → OutOfDateError (exit 1). Implies a dry run. */
  check?: boolean;
  force: boolean;
  install: boolean;
  git: boolean;
  /** The directory the user started the command in (before `--cwd`), for paths shown to them; defaults to `cwd`. */
  shellCwd?: string;
  /** Runs task programs; defaults to execa. */
  exec?: Exec;
  /** Test hooks for the write step. */
  flushHooks?: FlushHooks;
  /** How long to wait for another archkit command writing to the same workspace (default 60 s). */
  lockTimeoutMs?: number;
}

export interface RunResult {
  root: string;
  plan: PlannedFile[];
  values: Record<string, unknown>;
  nextSteps: string[];
  model: RepoModel;
}

export async function defaultExec(file: string, args: readonly string[], options: { cwd: string }): Promise<void> {
  const { execa } = await import('execa');
  await execa(file, args, { cwd: options.cwd, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
}

function rootFor(definition: GeneratorDefinition<OptionsSpec>, cwd: string): string {
  const abs = path.resolve(cwd);
  if (definition.scope === 'cwd') return abs;
  return findWorkspaceRoot(abs) ?? abs;
}

function emptyModel(): RepoModel {
  const files = { compose: [], kubernetes: [], dockerfiles: [], packageJson: [], source: 0 };
  return { version: 1, kind: 'unknown', workspace: null, services: [], databases: [], brokers: [], gateway: null, gateways: [], infrastructure: [], channels: [], edges: [], sagas: [], libraries: [], files, diagnostics: [] };
}

/** What the generator's options resolve to in the workspace as it is now. */
async function resolve(definition: GeneratorDefinition<OptionsSpec>, raw: Record<string, unknown>, env: RunEnv, root: string, ask: Ask = env.ask) {
  // A generator that makes a new directory reads nothing of where it runs (`archkit init /srv/shop` from $HOME).
  const model = definition.target ? emptyModel() : await scan(root, { deployment: false });
  const reason = definition.requires?.(model);
  if (reason) throw new UsageError(reason);
  const values = await resolveOptions(definition.options, { raw, model, root, force: env.force, interactive: env.interactive, ask, args: definition.command.args });
  return { model, values };
}

/**
 * Interactive runs ask their questions before taking the lock, so no other command waits on a person. Returns
 * the flags plus the answers, which are resolved again under the lock against the workspace as it is then.
 */
async function askFirst(definition: GeneratorDefinition<OptionsSpec>, raw: Record<string, unknown>, env: RunEnv, root: string): Promise<Record<string, unknown>> {
  const asked = new Set<string>();
  const ask: Ask = (question) => {
    asked.add(question.name);
    return env.ask(question);
  };
  const { values } = await resolve(definition, raw, env, root, ask);
  const answers = Object.fromEntries(Object.entries(values).filter(([key]) => asked.has(key)));
  return { ...raw, ...answers };
}

interface Planned {
  result: RunResult;
  tasks: Task[];
}

/**
 * The context a generator runs with: every write goes into `tree`, every task and manual step into the lists.
 * Long only because it is the one object literal implementing `GeneratorContext`, one method per member.
 */
function createContext(root: string, tree: Tree, model: RepoModel, values: OptionValues<OptionsSpec>, env: RunEnv, tasks: Task[], manual: string[]): GeneratorContext<OptionValues<OptionsSpec>> {
  const shellCwd = env.shellCwd ?? env.cwd;
  /** Keyed TypeScript edits (see `editTs`): file + key → the text the edit left. */
  const keyedEdits = new Map<string, string>();
  /** Compose fragments merged (file + fragment → the text the merge left), for the same reason. */
  const mergedFragments = new Map<string, string>();
  const keptReported = new Set<string>();
  const ctx: GeneratorContext<typeof values> = {
    root,
    cwd: env.cwd,
    tree,
    options: values,
    model,
    force: env.force,
    installs: env.install,
    log: env.log,
    userPath(absolute) {
      const relative = path.relative(shellCwd, absolute);
      return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
    },
    render: (set, target, data, options) => renderSet(tree, set, target, data, options),
    renderFile: (template, data) => renderTemplateFile(template, data),
    editJson(file, fn) {
      const text = tree.read(file);
      if (text === undefined) {
        manual.push(`${file} is missing; create it, then re-run`);
        return;
      }
      try {
        tree.write(file, editJsonText(file, text, fn), { intent: 'edit' });
      } catch (error) {
        manual.push(`${(error as Error).message}; fix it, then re-run`);
      }
    },
    mergeCompose(file, fragment, options = {}) {
      const text = tree.read(file);
      if (text === undefined) {
        tree.write(file, fragment);
        return;
      }
      // The same fragment merged again into the text it left changes nothing (a saga wires one broker many times).
      const key = `${file}\0${options.deep === true}\0${fragment}`;
      if (mergedFragments.get(key) === text) return;
      try {
        const result = mergeComposeFragment(file, text, fragment, { force: env.force, deep: options.deep ?? false });
        for (const entry of result.kept) {
          // One line per entry, however many fragments touch it (every service on a broker merges the broker's).
          if (keptReported.has(`${file}\0${entry}`)) continue;
          keptReported.add(`${file}\0${entry}`);
          env.log.warn(`${file}: kept your ${entry} (it differs from what archkit would write; --force replaces it)`);
        }
        for (const entry of result.upgraded) env.log.info(`${file}: ${entry}`);
        tree.write(file, result.text, { intent: 'edit' });
        mergedFragments.set(key, result.text);
      } catch (error) {
        manual.push(`${(error as Error).message}; fix it, then re-run`);
      }
    },
    editYaml(file, fn) {
      const text = tree.read(file);
      if (text === undefined) {
        manual.push(`${file} is missing; create it, then re-run`);
        return;
      }
      const doc = parseDocument(text);
      if (doc.errors.length > 0) {
        manual.push(`${file}: cannot parse YAML: ${doc.errors[0]!.message.split('\n')[0]}; fix it, then re-run`);
        return;
      }
      if (fn(doc)) tree.write(file, doc.toString({ lineWidth: 0 }), { intent: 'edit' });
    },
    async editTs(file, edit, options = {}) {
      const text = tree.read(file);
      if (text === undefined) {
        manual.push(`${file} is missing; restore it, then re-run`);
        return;
      }
      const key = options.key === undefined ? undefined : `${file}\0${options.key}`;
      if (key !== undefined && keyedEdits.get(key) === text) return;
      const { editTsText } = await import('./ts/project.js');
      const result = await editTsText(file, text, edit);
      if ('manual' in result) manual.push(...result.manual);
      else {
        tree.write(file, result.text, { intent: 'edit' });
        if (key !== undefined) keyedEdits.set(key, result.text);
      }
    },
    addDependency(packageJson, name, options = {}) {
      ctx.editJson(packageJson, (json) => upsertDependency(json, options.dev ? 'devDependencies' : 'dependencies', name, packageVersion(name)));
    },
    async scanFiles(files) {
      const { scanSource } = await import('../model/extract/source.js');
      const services = model.services.flatMap((s) => (s.dir !== null ? [{ name: s.name, dir: s.dir }] : []));
      return (await scanSource({ root, services, files: [...files], serviceNames: model.services.map((s) => s.name) })).facts;
    },
    task: (task) => {
      if (task.key === undefined || !tasks.some((t) => t.key === task.key)) tasks.push(task);
    },
    manual: (...steps) => void manual.push(...steps),
  };
  return ctx;
}

/** Scans, resolves, runs the generator into a tree and plans; flushes unless it is a dry run. */
async function generate(definition: GeneratorDefinition<OptionsSpec>, raw: Record<string, unknown>, env: RunEnv, scanRoot: string): Promise<Planned> {
  const { model, values } = await resolve(definition, raw, env, scanRoot);
  // A generator that makes a directory anywhere (`arch init ../shop`) is rooted there, not where it runs.
  const root = definition.target ? existingAncestor(definition.target(values, env.cwd)) : scanRoot;
  if (root !== scanRoot && !env.dryRun && !env.check && recover(root) > 0) env.log.info('Completed an interrupted earlier write.');
  const tree = new Tree(root);
  const tasks: Task[] = [];
  const manual: string[] = [];
  const ctx = createContext(root, tree, model, values, env, tasks, manual);
  await definition.run(ctx);
  if (manual.length > 0) throw new ManualStepsError(manual);

  const plan = tree.plan();
  if (env.check) {
    env.log.plan(plan, { dryRun: true, check: true });
    const stale = plan.filter((f) => f.kind !== 'unchanged').map((f) => f.path);
    if (stale.length > 0) throw new OutOfDateError(stale, definition.command.name);
    return { result: { root, plan, values, nextSteps: [], model }, tasks: [] };
  }
  const conflicts = plan.filter((f) => f.kind === 'conflict');
  if (conflicts.length > 0 && !env.force) {
    env.log.plan(plan, { dryRun: true });
    throw new ConflictError(conflicts.map((f) => f.path));
  }
  env.log.plan(plan, { dryRun: env.dryRun });
  const nextSteps = definition.nextSteps?.(ctx) ?? [];
  if (!env.dryRun) flush(root, plan, env.flushHooks);
  return { result: { root, plan, values, nextSteps, model }, tasks };
}

/** Runs the tasks after the files are written; a failed task is reported (exit 1), not rolled back. */
async function runTasks(tasks: readonly Task[], env: RunEnv): Promise<void> {
  const exec = env.exec ?? defaultExec;
  const failures: string[] = [];
  for (const task of tasks) {
    if ((task.kind === 'install' && !env.install) || (task.kind === 'git' && !env.git)) continue;
    try {
      await env.log.task(task.title, () => task.run(exec));
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr?.trim().split('\n').slice(-3).join(' ') || (error as Error).message;
      failures.push(`${task.title} failed: ${detail}`);
    }
  }
  if (failures.length > 0) throw new TaskError(failures);
}

export async function runGenerator(
  definition: GeneratorDefinition<OptionsSpec>,
  raw: Record<string, unknown>,
  env: RunEnv,
): Promise<RunResult> {
  if (!existsSync(env.cwd)) throw new UsageError(`--cwd ${env.cwd} does not exist`);
  if (env.check && !definition.sync) throw new UsageError(`${definition.command.name} has no --check`);
  const root = rootFor(definition, env.cwd);
  const command = definition.command.name;
  const settle = { log: env.log, command, timeoutMs: env.lockTimeoutMs };
  if (env.dryRun || env.check) {
    await finishInterruptedWrites(root, { ...settle, write: false });
    return (await generate(definition, raw, env, root)).result;
  }
  let given = raw;
  if (env.interactive) {
    await finishInterruptedWrites(root, { ...settle, write: true });
    given = await askFirst(definition, raw, env, root);
  }
  const lock = await acquireLock(root, settle);
  let planned: Planned;
  try {
    if (recover(root) > 0) env.log.info('Completed an interrupted earlier write.');
    planned = await generate(definition, given, { ...env, interactive: false }, root);
  } finally {
    lock.release();
  }
  await runTasks(planned.tasks, env);
  return planned.result;
}
