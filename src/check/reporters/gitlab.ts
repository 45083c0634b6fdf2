/**
 * GitLab Code Quality: the subset of the Code Climate format that a merge
 * request's Code Quality widget and a pipeline's Code Quality tab read
 * (`artifacts:reports:codequality`). One issue per finding, identified by its
 * fingerprint, which GitLab compares between the source and target branches
 * (so it must be unique and stable: ours is both). Every issue needs a path:
 * repository-wide findings point at the repository's anchor file, line 1.
 */
import type { Reporter, Severity } from '../types.js';

/** GitLab's scale is info, minor, major, critical, blocker. */
const SEVERITY: Readonly<Record<Severity, string>> = { error: 'major', warning: 'minor' };

const gitlab: Reporter = (result, { anchor }) => {
  const issues = result.findings.map((f) => ({
    type: 'issue',
    check_name: f.ruleId,
    description: f.message,
    fingerprint: f.fingerprint,
    severity: SEVERITY[f.severity],
    location: { path: f.file ?? anchor ?? '.', lines: { begin: f.file !== null && f.line !== null && f.line >= 1 ? f.line : 1 } },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
};

export default gitlab;
