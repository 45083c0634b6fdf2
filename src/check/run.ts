/**
 * `arch check` as a function: configuration → scan → rules → suppressions →
 * baseline → result. No printing and no exit codes (the CLI derives those
 * from `result.summary`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { createReader } from '../model/read.js';
import { scan } from '../model/scan.js';
import type { RepoModel } from '../model/types.js';
import { applyBaseline, createBaseline, parseBaseline } from './baseline.js';
import { loadConfig } from './config.js';
import { buildResult, loadRules, runRules, sortFindings } from './engine.js';
import { formatMessage } from './define-rule.js';
import { applySuppressions } from './suppressions.js';
import type { CheckResult, Finding } from './types.js';

export interface CheckOptions {
  /** Configuration file (default: arch.config.json, else package.json#arch). */
  config?: string;
  /** Baseline file to subtract. */
  baseline?: string;
  /** Write the current findings as the baseline instead of subtracting it. */
  updateBaseline?: boolean;
}

/** The file repository-wide findings point at where a location is required: see `ReporterOptions.anchor`. */
export function repositoryAnchor(model: RepoModel, configFile: string | null): string | null {
  const { files } = model;
  const rootPackage = files.packageJson.find((f) => f === 'package.json');
  return configFile?.replace(/#.*$/, '') ?? files.compose[0] ?? rootPackage ?? files.kubernetes[0] ?? files.dockerfiles[0] ?? files.packageJson[0] ?? null;
}

export async function check(root: string, options: CheckOptions = {}): Promise<{ result: CheckResult; model: RepoModel; anchor: string | null }> {
  const config = await loadConfig(root, options.config);
  const loaded = await loadRules(config);
  const model = await scan(root, { source: true, ignore: config.ignore });
  const all = runRules(model, loaded);

  // Suppression comments are read like any repository file (read.ts): a finding may name a FIFO or a link out.
  const reader = createReader(root);
  const { kept, suppressed, missingReasons } = applySuppressions(all, (file) => reader.read(file));
  const unjustified = loaded.find(({ rule }) => rule.id === 'unjustified-suppression');
  if (unjustified) {
    for (const m of missingReasons) {
      kept.push({
        ruleId: unjustified.rule.id,
        severity: unjustified.severity,
        item: null,
        service: null,
        message: formatMessage(unjustified.rule.messages.missing!, { rules: m.rules.join(', ') }),
        file: m.file,
        line: m.line,
        column: null,
      });
    }
  }
  sortFindings(kept);

  let final: Finding[] = kept;
  let baselined = 0;
  if (options.baseline) {
    const file = path.resolve(root, options.baseline);
    if (options.updateBaseline) {
      writeFileSync(file, `${JSON.stringify(createBaseline(kept), null, 2)}\n`);
    } else {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new ConfigError(`cannot read baseline ${options.baseline}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'Create it with --update-baseline.');
      }
      try {
        ({ kept: final, baselined } = applyBaseline(kept, parseBaseline(text)));
      } catch (error) {
        throw new ConfigError(`baseline ${options.baseline}: ${(error as Error).message}`);
      }
    }
  }
  return { result: buildResult(model, loaded, all, final, { suppressed, baselined }), model, anchor: repositoryAnchor(model, config.file) };
}
