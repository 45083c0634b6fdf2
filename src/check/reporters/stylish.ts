/** The default format: findings grouped by service, a summary, then the scorecard (ESLint's stylish, plus the checklist). */
import pc from 'picocolors';
import type { Reporter } from '../types.js';
import { groupByService, location, oneLine, problems, rulesById, scorecardRows, scorecardTally, silenced } from './utils/format.js';

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - text.length));

const stylish: Reporter = (result, { color, verbose }) => {
  const c = pc.createColors(color);
  const rules = rulesById(result.rules);
  const out: string[] = [];

  for (const group of groupByService(result.findings)) {
    out.push('', c.underline(group.service === null ? 'repository' : oneLine(group.service)));
    const rows = group.findings.map((f) => ({ f, where: oneLine(location(f)), message: oneLine(f.message) }));
    const whereWidth = Math.max(...rows.map((r) => r.where.length));
    const messageWidth = Math.max(...rows.map((r) => r.message.length));
    for (const { f, where, message } of rows) {
      const severity = f.severity === 'error' ? c.red(pad('error', 7)) : c.yellow(pad('warning', 7));
      out.push(`  ${c.dim(pad(where, whereWidth))}  ${severity}  ${pad(message, messageWidth)}  ${c.dim(oneLine(f.ruleId))}`.trimEnd());
      const rule = verbose ? rules.get(f.ruleId) : undefined;
      if (rule) out.push(`      ${c.dim('why')}  ${oneLine(rule.rationale)}`, `      ${c.dim('fix')}  ${oneLine(rule.fix)}`);
    }
  }

  const { summary } = result;
  out.push('');
  if (summary.errors + summary.warnings === 0) out.push(c.green(c.bold('✔ no problems')));
  else out.push((summary.errors > 0 ? c.red : c.yellow)(c.bold(`✖ ${problems(summary)}`)));
  const quiet = silenced(summary);
  if (quiet) out.push(c.dim(`  ${quiet}`));

  const rows = scorecardRows(result);
  const titleWidth = Math.max(...rows.map((r) => r.title.length));
  const paint = { pass: c.green, fail: c.red, unknown: c.yellow } as const;
  out.push('', `${c.bold('Scorecard')} ${c.dim(`(${scorecardTally(rows)})`)}`);
  for (const row of rows) {
    out.push(`  ${pad(row.title, titleWidth)}  ${paint[row.status](pad(row.status, 7))}  ${c.dim(oneLine(row.evidence))}`.trimEnd());
  }
  return `${out.join('\n').replace(/^\n/, '')}\n`;
};

export default stylish;
