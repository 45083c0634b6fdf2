/**
 * The generator contract.
 *
 * A generator is a definition module under `src/generators/<id>/index.ts`
 * whose default export is `defineGenerator({...})`. The CLI builds its
 * command, flags, prompts and help from the definition
 * (`cli/generator-command.ts`); the engine (`run.ts`) scans the repository,
 * resolves the options, calls `run(ctx)`, and writes the plan.
 *
 * House rules: `run` never touches the disk, never prompts, never exits;
 * everything goes through `ctx`, which is what makes `--dry-run`, conflicts,
 * all-or-nothing writes and in-memory tests work. Definition modules stay
 * light (no ts-morph, Handlebars or yaml at the top level) so `arch --help`
 * stays fast.
 *
 * @example
 * export default defineGenerator({
 *   id: 'service',
 *   description: 'Create a microservice',
 *   command: { name: 'create-service', args: [{ name: 'name', option: 'name' }], examples: ['create-service orders'] },
 *   options: { name: option.string({ description: 'Service name', required: true }) },
 *   run(ctx) { ctx.render('service', `services/${ctx.options.name}`, { name: ctx.options.name }); },
 * });
 */
import type { RepoModel, SourceFacts } from '../model/types.js';
import type { Logger } from './logger.js';
import type { OptionValues, OptionsSpec } from './options.js';
import type { TsEdit } from './ts/project.js';
import type { Tree } from './tree.js';
import type { Document as YamlDocument } from 'yaml';
import type { JsonObject } from './json.js';
import type { TemplateData, RenderOptions } from './render.js';

/** Runs a program after the files are written (npm install, git init). */
export type Exec = (file: string, args: readonly string[], options: { cwd: string }) => Promise<void>;

export interface Task {
  /** `install` tasks are skipped by `--no-install`, `git` tasks by `--no-git`; all by `--dry-run`. */
  kind: 'install' | 'git' | 'other';
  title: string;
  /** Tasks with the same key run once per run (a generator that composes others schedules the same install twice). */
  key?: string;
  run(exec: Exec): Promise<void>;
}

export interface GeneratorContext<V> {
  /** Absolute directory the tree is rooted at (the workspace root, the current directory, or where `target` is). */
  readonly root: string;
  /** The directory the command runs in (`--cwd`, else the current one): paths the user gives are relative to it. */
  readonly cwd: string;
  readonly tree: Tree;
  readonly options: V;
  readonly model: RepoModel;
  readonly force: boolean;
  /** Install tasks run after the write (no `--no-install`); when they do not, next steps should say `npm install`. */
  readonly installs: boolean;
  readonly log: Logger;
  /** A path as the user types it in the shell they started in: relative when inside it, else absolute (for next steps). */
  userPath(absolute: string): string;
  /** Renders `templates/<set>/common` and `overlays` under `target`. Returns the paths written. */
  render(set: string, target: string, data: TemplateData, options?: RenderOptions): string[];
  /** Renders one template file (relative to `templates/`) to a string, e.g. a fragment to merge. */
  renderFile(template: string, data: TemplateData): string;
  /** Edits a JSON file in the tree; records a manual step when it is missing or invalid. */
  editJson(path: string, fn: (json: JsonObject) => void): void;
  /**
   * Merges a compose fragment (a rendered template) into a compose file,
   * creating the file when missing. Entries that exist with other content are
   * kept (and reported) unless `--force`. With `deep`, entries that exist
   * are merged key by key (add `depends_on`/`environment` to a service).
   */
  mergeCompose(path: string, fragment: string, options?: { deep?: boolean }): void;
  /**
   * Edits a YAML file through the `yaml` Document API (comments and key order
   * survive); `fn` returns false when it changed nothing. A missing or
   * unparsable file becomes a manual step.
   */
  editYaml(path: string, fn: (doc: YamlDocument) => boolean): void;
  /**
   * Edits a TypeScript file through ts-morph; a missing file or anchor
   * becomes manual steps. `key` names an edit that always does the same
   * thing (`messaging-config:kafka`): applied again to the text it left,
   * it is skipped instead of parsed again (edits are idempotent).
   */
  editTs(path: string, edit: TsEdit, options?: { key?: string }): Promise<void>;
  /** Adds a pinned dependency (version from `versions.ts`) to a package.json in the tree. */
  addDependency(packageJson: string, name: string, options?: { dev?: boolean }): void;
  /**
   * What the source of these files shows (sagas, calls, producers and consumers), per service, parsed
   * now: for a generator that needs facts the scan before `run` leaves out (it reads no source).
   */
  scanFiles(files: readonly string[]): Promise<Map<string, SourceFacts>>;
  /** Schedules work for after the files are written. */
  task(task: Task): void;
  /** Records instructions for the user; the run then writes nothing and exits 2. */
  manual(...steps: string[]): void;
}

export interface CommandSpec<O extends OptionsSpec> {
  /** Command name, e.g. `create-service`. */
  name: string;
  /** Positional arguments, each bound to an option. */
  args?: Array<{ name: string; option: keyof O & string }>;
  /** Shown under "Examples" in `--help`. */
  examples: string[];
}

export interface GeneratorDefinition<O extends OptionsSpec = OptionsSpec> {
  /** Equals the folder name under `src/generators/` and `templates/`. */
  id: string;
  /** One line: `--help`, the `arch --help` listing and prompts. */
  description: string;
  command: CommandSpec<O>;
  options: O;
  /**
   * Where the tree is rooted: `workspace` = the nearest workspace root above
   * the current directory (falling back to it), `cwd` = the current directory.
   */
  scope: 'workspace' | 'cwd';
  /**
   * A generator that keeps files in line with the workspace and can be re-run
   * at any time (`arch compose`, like Nx's sync generators): its command gets
   * `--check`, which writes nothing and exits 1 with a diff when a run would
   * change any file (for CI).
   */
  sync?: boolean;
  /**
   * For a generator that creates a directory wherever the user says (`arch init /srv/shop`): that
   * directory, absolute, from the options and `cwd`. The tree is rooted at it when it exists, else at
   * its nearest existing ancestor, so a new directory appears whole (one rename).
   */
  target?(options: OptionValues<O>, cwd: string): string;
  /** Returns a reason when the generator cannot run in this repository. */
  requires?(model: RepoModel): string | undefined;
  run(ctx: GeneratorContext<OptionValues<O>>): void | Promise<void>;
  /** Lines shown after a successful run. */
  nextSteps?(ctx: GeneratorContext<OptionValues<O>>): string[];
}

export function defineGenerator<const O extends OptionsSpec>(definition: GeneratorDefinition<O>): GeneratorDefinition<O> {
  return definition;
}
