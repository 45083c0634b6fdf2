/**
 * `arch check` as a function: configuration → scan → rules → suppressions →
 * baseline → result. No printing and no exit codes (the CLI derives those
 * from `result.summary`).
 */
import { stopwatch } from '../util/timing.js';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { createReader } from '../model/read.js';
import { scan } from '../model/scan.js';
import type { RepoModel } from '../model/types.js';
import { applyBaseline, createBaseline, parseBaseline } from './baseline.js';
import { loadConfig } from './config.js';
import { buildResult, createFinding, loadRules, numberDuplicates, runRules, sortFindings, type LineText } from './engine.js';
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

/**
 * Reads the files findings point at, once each (suppressions and fingerprints both need them): only regular files
 * inside the root within the scanner's size cap, as the scanner reads them; null otherwise or when unreadable.
 */
export function fileReader(root: string): { text: (file: string) => string | null; line: LineText } {
  const reader = createReader(root);
  const texts = new Map<string, string | null>();
  const lines = new Map<string, string[]>();
  const text = (file: string): string | null => {
    if (!texts.has(file)) texts.set(file, reader.read(file));
    return texts.get(file)!;
  };
  const line: LineText = (file, n) => {
    let list = lines.get(file);
    if (!list) {
      list = text(file)?.split(/\r?\n/) ?? [];
      lines.set(file, list);
    }
    return list[n - 1] ?? null;
  };
  return { text, line };
}

export async function check(root: string, options: CheckOptions = {}): Promise<{ result: CheckResult; model: RepoModel; anchor: string | null }> {
  const watch = stopwatch('check: ');
  const config = await loadConfig(root, options.config);
  const loaded = await loadRules(config);
  watch.lap('config and rules');
  const model = await scan(root, { source: true, ignore: config.ignore });
  watch.lap('scan (total)');
  const files = fileReader(root);
  const all = runRules(model, loaded, files.line);
  watch.lap('rules');

  // Suppression comments are read like any repository file (read.ts): a finding may name a FIFO or a link out.
  const { kept, suppressed: suppressedCount, missingReasons } = applySuppressions(all, files.text);
  const left = new Set(kept);
  const suppressed = suppressedCount > 0 ? all.filter((f) => !left.has(f)) : [];
  const unjustified = loaded.find(({ rule }) => rule.id === 'unjustified-suppression');
  if (unjustified) {
    for (const m of missingReasons) {
      kept.push(createFinding(unjustified.rule, unjustified.severity, { messageId: 'missing', data: { rules: m.rules.join(', ') }, location: { file: m.file, line: m.line } }, files.line));
    }
  }
  numberDuplicates(sortFindings(kept));

  let final: Finding[] = kept;
  let baselined: Finding[] = [];
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
  return { result: buildResult(model, loaded, final, { suppressed, baselined }), model, anchor: repositoryAnchor(model, config.file) };
}
