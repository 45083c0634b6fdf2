/**
 * SARIF 2.1.0 for code scanning: one run, rule metadata from `result.rules`, locations relative
 * to `%SRCROOT%`, each result's fingerprint as a partial fingerprint (code scanning tracks an
 * alert across commits by it), and the scorecard in the run's property bag.
 */
import type { Finding, Reporter, RuleInfo } from '../types.js';
import { jsonText, visibleFormatCharacters } from './utils/format.js';

const SRCROOT = '%SRCROOT%';
/** The name (with its version, as SARIF asks) under which results carry archkit's fingerprint. */
export const FINGERPRINT_KEY = 'archkitFingerprint/v1';

const sarif: Reporter = (result, { root, anchor }) => {
  const index = new Map(result.rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'archkit',
            informationUri: 'https://www.npmjs.com/package/archkit',
            rules: result.rules.map(descriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUrl(root) } },
        columnKind: 'utf16CodeUnits',
        results: result.findings.map((f) => toResult(f, index.get(f.ruleId), anchor ?? null)),
        properties: { scorecard: result.scorecard, summary: result.summary },
      },
    ],
  };
  return `${jsonText(log)}\n`;
};

function descriptor(rule: RuleInfo) {
  return {
    id: rule.id,
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.rationale },
    help: { text: rule.fix },
    defaultConfiguration: { level: rule.defaultSeverity },
    properties: { tags: rule.item === null ? [] : [rule.item] },
  };
}

function toResult(f: Finding, ruleIndex: number | undefined, anchor: string | null) {
  const positive = (n: number | null): n is number => n !== null && Number.isInteger(n) && n >= 1;
  const region = positive(f.line) ? { startLine: f.line, ...(positive(f.column) ? { startColumn: f.column } : {}) } : undefined;
  return {
    ruleId: f.ruleId,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: f.severity,
    // Shown to people by code scanning: bidi controls and other invisible characters made visible.
    message: { text: visibleFormatCharacters(f.message) },
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    // Code scanning shows only results with a location: a repository-wide
    // finding points at the repository's anchor file (its config, compose file …).
    ...(f.file !== null
      ? { locations: [{ physicalLocation: { artifactLocation: { uri: relativeUri(f.file), uriBaseId: SRCROOT }, ...(region ? { region } : {}) } }] }
      : anchor !== null
        ? { locations: [{ physicalLocation: { artifactLocation: { uri: relativeUri(anchor), uriBaseId: SRCROOT }, region: { startLine: 1 } } }] }
        : {}),
    properties: { ...(f.item === null ? {} : { item: f.item }), ...(f.service === null ? {} : { service: f.service }), ...(f.file === null ? { repositoryWide: true } : {}) },
  };
}

/** A relative path as a URI reference: forward slashes, each segment percent-encoded. */
export function relativeUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
}

/** `file:` URL of an absolute directory, with a trailing slash (POSIX, Windows drive and UNC paths). */
export function directoryUrl(dir: string): string {
  let p = dir.replace(/\\/g, '/');
  let host = '';
  const unc = /^\/\/([^/]+)(\/.*)?$/.exec(p);
  if (unc) {
    host = unc[1]!;
    p = unc[2] ?? '/';
  } else if (/^[A-Za-z]:/.test(p)) p = `/${p}`;
  const encoded = p
    .split('/')
    .map((segment, i) => (i === 1 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join('/');
  return `file://${host}${encoded.endsWith('/') ? encoded : `${encoded}/`}`;
}

export default sarif;
