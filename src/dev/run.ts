/**
 * `arch dev`: every service of the workspace (the gateway too) on this
 * machine, in watch mode, against the local servers.
 *
 *   workspace → each service's environment (.env, else .env.example)
 *     → checks, every problem at once, nothing started or written on any:
 *       node on PATH, installed, dev scripts, ports, servers, databases
 *     → .env copied from .env.example where missing; databases created and marked
 *     → each service's `dev` script (migrations run at start-up), output prefixed
 *     → until Ctrl-C (all stopped gracefully) or a service's process ends (the others stopped)
 */
import { copyFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { CancelledError, UsageError } from '../errors.js';
import type { Logger } from '../generate/logger.js';
import { createDatabases, planDatabases } from './databases.js';
import { devScript, installProblems, nodeOnPath, nodeProblem, portProblems, routeWarnings, serverProblems, type DevTarget } from './preflight.js';
import { supervise, type SuperviseResult } from './supervise.js';
import { devWorkspace, readEnvFile, serviceEnvFile, type DevService } from './workspace.js';

export interface DevOptions {
  cwd: string;
  /** The environment the services get: archkit's own, which wins over their .env files (as Node's --env-file does). */
  env: Record<string, string | undefined>;
  log: Logger;
  /** Aborted to stop everything gracefully (Ctrl-C); `force` to kill at once. */
  signal: AbortSignal;
  force?: AbortSignal;
  output: (service: string, line: string, stream: 'stdout' | 'stderr') => void;
  /** Called with the names of the services, in start order, just before they start. */
  starting?: (services: readonly string[]) => void;
  /** How long a service may take to stop before it is killed. */
  graceMs?: number;
}

/** npm's settings of an outer `npm run` / `npx` must not reach the services. */
function childEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !key.startsWith('npm_') && key !== 'INIT_CWD') out[key] = value;
  }
  // The services apply their migrations as they start, whatever their .env says.
  out.MIGRATE_ON_START = 'true';
  return out;
}

function target(root: string, service: DevService, env: Record<string, string>): DevTarget {
  const own = serviceEnvFile(service, false);
  const file = own ?? serviceEnvFile(service, true);
  const fromFile = readEnvFile(file);
  // What the service will see: the file's values under the variables passed on to it.
  const effective = { ...fromFile, ...Object.fromEntries(Object.entries(env).filter(([key]) => key in fromFile || key === 'PORT' || key === 'HOST')) };
  return { service, env: effective, envFile: path.relative(root, file ?? path.join(service.abs, '.env')), copyEnv: own === null && file !== null };
}

function refuse(problems: readonly string[]): never {
  if (problems.length === 1) throw new UsageError(`nothing started: ${problems[0]}`);
  throw new UsageError(`nothing started, ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/** Runs the workspace's services until stopped; resolves with how it ended. */
export async function runDev(options: DevOptions): Promise<SuperviseResult> {
  const { services, root: found } = await devWorkspace(options.cwd, 'arch dev');
  const root = realpathSync(found);
  if (services.length === 0) throw new UsageError('no services to run in this workspace', 'Create one with `npx create-service <name>`.');
  const env = childEnv(options.env);
  const targets = services.map((s) => target(root, { ...s, abs: path.join(root, s.dir) }, env));

  const problems = [nodeProblem(await nodeOnPath(env), targets), ...installProblems(root, targets)].filter((p): p is string => p !== null);
  problems.push(...(await portProblems(targets)), ...(await serverProblems(targets)));
  // Databases only once their server answers (its problem is reported above).
  const databases = problems.some((p) => p.startsWith('PostgreSQL')) ? { create: [], problems: [] } : await planDatabases(root, targets);
  problems.push(...databases.problems);
  if (problems.length > 0) refuse(problems);
  for (const warning of routeWarnings(targets)) options.log.warn(warning);
  if (options.signal.aborted) throw new CancelledError();

  for (const t of targets.filter((t) => t.copyEnv)) {
    copyFileSync(path.join(t.service.abs, '.env.example'), path.join(t.service.abs, '.env'));
    options.log.info(`created ${t.service.dir}/.env from .env.example (yours from now on: arch dev never overwrites it)`);
  }
  for (const database of await createDatabases(root, databases)) options.log.info(`created database ${database}`);

  options.starting?.(targets.map((t) => t.service.name));
  return supervise(
    targets.map((t) => ({
      name: t.service.name,
      cwd: t.service.abs,
      script: devScript(t.service) ?? '',
      bin: [path.join(t.service.abs, 'node_modules', '.bin'), path.join(root, 'node_modules', '.bin')],
    })),
    {
      env,
      signal: options.signal,
      ...(options.force ? { force: options.force } : {}),
      output: options.output,
      note: (line) => options.log.info(line),
      ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
    },
  );
}
