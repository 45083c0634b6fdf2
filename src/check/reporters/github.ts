/** GitHub Actions workflow commands: one annotation per finding, then the scorecard in a folded group and a summary line. */
import type { Finding, Reporter } from '../types.js';
import { oneLine, problems, scorecardRows, scorecardTally, silenced, visibleControls } from './utils/format.js';

/** Escaping of a command's data, as @actions/core does it. */
export const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** Escaping of a command property value: the data escapes plus `:` and `,`. */
export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function annotation(f: Finding): string {
  const props: string[] = [];
  if (f.file !== null) {
    props.push(`file=${escapeProperty(visibleControls(f.file))}`);
    if (f.line !== null) props.push(`line=${f.line}`);
    if (f.line !== null && f.column !== null) props.push(`col=${f.column}`);
  }
  props.push(`title=${escapeProperty(f.ruleId)}`);
  return `::${f.severity} ${props.join(',')}::${escapeData(visibleControls(f.message))}`;
}

const github: Reporter = (result) => {
  const out = result.findings.map(annotation);
  const rows = scorecardRows(result);
  // Plain lines are printed as they are; `oneLine` keeps a hostile value from starting a new line that is a command.
  out.push(`::group::archkit scorecard (${scorecardTally(rows)})`);
  for (const row of rows) out.push(`${row.status.padEnd(7)}  ${row.title}: ${oneLine(row.evidence)}`);
  out.push('::endgroup::');
  const { summary } = result;
  const quiet = silenced(summary);
  const total = summary.errors + summary.warnings === 0 ? 'no problems' : problems(summary);
  out.push(`archkit: ${total}${quiet ? `; ${quiet}` : ''}`);
  return `${out.join('\n')}\n`;
};

export default github;
