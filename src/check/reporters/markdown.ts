/** A pull-request comment: summary, the scorecard as a table, then the findings by service. */
import type { Reporter } from '../types.js';
import { groupByService, location, plural, problems, scorecardRows, scorecardTally, silenced, visibleFormatCharacters } from './utils/format.js';

/**
 * Text safe inside a GitHub-flavoured Markdown table cell or heading: HTML as entities, Markdown
 * punctuation that could open code, emphasis, links or strike-through escaped, `|` escaped, line
 * breaks as `<br>`, other control characters dropped, invisible format characters (bidi controls…)
 * shown as `\u202E`.
 */
export function cell(text: string): string {
  return visibleFormatCharacters(text)
    .replace(/\r\n|[\r\u2028\u2029]/g, '\n')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]~|]/g, (ch) => `\\${ch}`)
    .replace(/\n/g, '<br>');
}

const code = (text: string) => (/^[\w@./-]+$/.test(text) ? `\`${text}\`` : cell(text));

/** GitHub refuses comments over 65,536 characters: findings past this are counted, not listed. */
export const MAX_LENGTH = 60_000;

const STATUS = { pass: '✅ pass', fail: '❌ fail', unknown: '❔ unknown' } as const;
const SEVERITY = { error: '❌ error', warning: '⚠️ warning' } as const;

const markdown: Reporter = (result) => {
  const { summary } = result;
  const out: string[] = ['<!-- archkit check -->', '## archkit check', ''];
  const quiet = silenced(summary);
  const total = summary.errors + summary.warnings === 0 ? '✅ **No problems**' : `${summary.errors > 0 ? '❌' : '⚠️'} **${problems(summary)}**`;
  out.push(`${total}${quiet ? ` · ${quiet}` : ''} · ${plural(summary.files, 'file')} checked`, '');

  const rows = scorecardRows(result);
  out.push(`### Scorecard (${scorecardTally(rows)})`, '', '| Item | Status | Evidence |', '| --- | --- | --- |');
  for (const row of rows) out.push(`| ${cell(row.title)} | ${STATUS[row.status]} | ${cell(row.evidence)} |`);

  if (result.findings.length > 0) out.push('', '### Findings');
  let length = out.join('\n').length;
  let shown = 0;
  groups: for (const group of groupByService(result.findings)) {
    const header = ['', `#### ${group.service === null ? 'Repository' : cell(group.service)}`, '', '| Severity | Rule | Location | Message |', '| --- | --- | --- | --- |'];
    for (const [i, f] of group.findings.entries()) {
      const where = location(f);
      const lines = [...(i === 0 ? header : []), `| ${SEVERITY[f.severity]} | ${code(f.ruleId)} | ${where ? cell(where) : '—'} | ${cell(f.message)} |`];
      const added = lines.join('\n').length + 1;
      if (length + added > MAX_LENGTH) break groups;
      out.push(...lines);
      length += added;
      shown++;
    }
  }
  const hidden = result.findings.length - shown;
  if (hidden > 0) out.push('', `… and ${plural(hidden, 'more finding')}: the comment would pass GitHub's size limit. Run \`arch check\` for all of them.`);
  return `${out.join('\n')}\n`;
};

export default markdown;
