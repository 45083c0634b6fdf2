/**
 * RuleTester (ESLint's shape): each case is a small repository (path → file
 * content), scanned for real (manifests and source), with one rule run over
 * the model. Invalid cases list the expected reports by messageId, data and
 * location — not message prose.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RuleDefinition } from '../../src/check/define-rule.js';
import { scan } from '../../src/model/scan.js';
import type { RepoModel } from '../../src/model/types.js';
import { tmpDir } from './tmp.js';

export type Files = Record<string, string>;

export interface ExpectedReport {
  messageId: string;
  data?: Record<string, string | number>;
  service?: string | null;
  file?: string;
  line?: number;
}

export interface RuleCases {
  valid: Array<{ name: string; files: Files; options?: object }>;
  invalid: Array<{ name: string; files: Files; options?: object; errors: ExpectedReport[] }>;
}

export function writeRepo(files: Files): string {
  const root = tmpDir('archkit-rule-');
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

export async function runRule(rule: RuleDefinition, files: Files, options?: object): Promise<{ reports: ExpectedReport[]; model: RepoModel }> {
  const model = await scan(writeRepo(files), { source: true });
  const reports: ExpectedReport[] = [];
  const visitors = rule.create({
    options: { ...rule.defaultOptions, ...options },
    model,
    report: ({ messageId, data, service = null, location = null }) => {
      reports.push({ messageId, ...(data ? { data } : {}), service, ...(location?.file ? { file: location.file } : {}), ...(location?.line ? { line: location.line } : {}) });
    },
  });
  for (const s of model.services) visitors.service?.(s);
  for (const d of model.databases) visitors.database?.(d);
  for (const c of model.channels) visitors.channel?.(c);
  for (const e of model.edges) visitors.edge?.(e);
  visitors['repo:exit']?.();
  return { reports, model };
}

export function ruleTester(rule: RuleDefinition, cases: RuleCases): void {
  describe(rule.id, () => {
    it('has a firing case for every messageId and at least one quiet case', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      const used = new Set(cases.invalid.flatMap((c) => c.errors.map((e) => e.messageId)));
      expect([...used].sort()).toEqual(Object.keys(rule.messages).sort());
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        expect((await runRule(rule, c.files, c.options)).reports).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const { reports } = await runRule(rule, c.files, c.options);
        expect(reports).toEqual(c.errors.map((e) => expect.objectContaining(e)));
      });
    }
  });
}

/** A compose file from a compact description. */
export const yaml = (lines: string[]) => `${lines.join('\n')}\n`;
