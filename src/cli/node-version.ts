/** The warning that this Node.js is older than the projects archkit generates need, printed only where it matters. */
import type { Exec } from '../generate/define-generator.js';
import type { Logger } from '../generate/logger.js';
import { node } from '../generate/versions.js';

/** The warning for archkit running on `version`, or undefined when generated projects run on it. */
export function oldNodeWarning(version: string = process.versions.node): string | undefined {
  return Number(version.split('.')[0]) < node.major ? `archkit runs on Node ${version}; the projects it generates need Node ${node.engines} (npm install and their scripts run on this one).` : undefined;
}

/**
 * Wraps a task runner so that the warning is printed once, before the first
 * `npm` it runs (installing generated code), and never by runs that install
 * nothing (`--no-install`, `--dry-run`, `arch check`).
 */
export function warnOnOldNode(exec: Exec, log: Logger, version: string = process.versions.node): Exec {
  let warned = false;
  return (file, args, options) => {
    if (!warned && file === 'npm') {
      warned = true;
      const warning = oldNodeWarning(version);
      if (warning) log.warn(warning);
    }
    return exec(file, args, options);
  };
}
