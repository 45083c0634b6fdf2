/**
 * archkit as a newcomer installs it from a clone: `npm pack`, then `npm install --global` of the tarball (into a
 * prefix of the test's own, so the machine's global folder is left alone), and its bins run from there. With a
 * fingerprint of the clone's dist/, to prove that nothing a workspace does rebuilds or touches the clone.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { execa, type Options } from 'execa';
import { REPO_ROOT } from './e2e.js';

/** Every file under the clone's dist/ with its content hash and modification time. */
export function cloneDist(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(REPO_ROOT, 'dist', rel)).sort()) {
      const child = path.join(rel, entry);
      const stat = statSync(path.join(REPO_ROOT, 'dist', child));
      if (stat.isDirectory()) walk(child);
      else out[child] = `${createHash('sha256').update(readFileSync(path.join(REPO_ROOT, 'dist', child))).digest('hex')} ${stat.mtimeMs}`;
    }
  };
  walk('');
  return out;
}

export interface GlobalArchkit {
  /** The tarball `npm pack` made. */
  tarball: string;
  /** The global prefix archkit is installed into (its bins are in `<prefix>/bin`). */
  prefix: string;
  /** Runs an installed bin (`archkit`, `arch`, `create-service`) by its path; never rejects. */
  run(bin: 'archkit' | 'arch' | 'create-service', args: string[], options?: Options): ReturnType<typeof execa>;
}

/** Packs the clone (no scripts run) into `work` and installs the tarball globally under `work/global`. */
export async function installGlobally(work: string): Promise<GlobalArchkit> {
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO_ROOT });
  const tarball = path.join(work, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
  const prefix = path.join(work, 'global');
  const install = await execa('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', tarball], { reject: false });
  if (install.exitCode !== 0) throw new Error(`npm install --global ${tarball} failed: ${install.stderr}`);
  return {
    tarball,
    prefix,
    run: (bin, args, options = {}) => execa(path.join(prefix, 'bin', bin), args, { reject: false, ...options, env: { NO_COLOR: '1', ...(options.env ?? {}) } }),
  };
}
