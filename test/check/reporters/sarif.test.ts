import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import sarif, { FINGERPRINT_KEY, directoryUrl, relativeUri } from '../../../src/check/reporters/sarif.js';
import { FIXTURES, FIXTURE_NAMES, ROOT, errors, hostile, parseFailures, repositoryWide } from './__fixtures__/results.js';

// The SARIF 2.1.0 schema (rtm.5, the one SchemaStore serves) as @microsoft/jest-sarif ships it.
// It is draft-04; Ajv speaks draft-07, which reads this schema the same once `id` is `$id`.
const schemaPath = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const { $schema, id, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
expect($schema).toBe('http://json-schema.org/draft-04/schema#');
// `unicodeRegExp: false`: the schema's `language` pattern has a stray `]` that only a non-unicode RegExp accepts.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
// ajv-formats is CommonJS with an `exports.default`: take whichever the loader hands over.
const addFormats = ((formats as unknown as { default?: typeof formats }).default ?? formats) as unknown as (a: Ajv) => Ajv;
addFormats(ajv);
const validate = ajv.compile({ ...schema, $id: id as string });

const options = { color: false, root: ROOT, verbose: false };
type Log = {
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string }> } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Array<{ ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations?: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: object } }> }>;
    properties: { scorecard: unknown };
  }>;
};
const run = (name: keyof typeof FIXTURES) => (JSON.parse(sarif(FIXTURES[name], options)) as Log).runs[0]!;

describe('sarif reporter', () => {
  it.for(FIXTURE_NAMES)('%s: valid against the SARIF 2.1.0 schema', (name) => {
    const log: unknown = JSON.parse(sarif(FIXTURES[name], options));
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the validator does reject what the schema forbids', () => {
    const log = JSON.parse(sarif(errors, options)) as Log & { version: string };
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    const bad = structuredClone(log);
    bad.runs[0]!.results[1]!.locations![0]!.physicalLocation.region = { startLine: 0 };
    expect(validate(bad)).toBe(false);
  });

  it('keeps the whole log stable', async () => {
    await expect(sarif(errors, options)).toMatchFileSnapshot('__snapshots__/sarif/errors.sarif.json');
  });

  it('describes every rule that ran and points each result at its rule', () => {
    const r = run('errors');
    expect(r.tool.driver.rules.map((d) => d.id)).toEqual(errors.rules.map((d) => d.id));
    for (const result of r.results) expect(r.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    expect(r.results.map((x) => x.level)).toEqual(['error', 'error', 'warning', 'error', 'warning']);
    expect(r.properties.scorecard).toEqual(errors.scorecard);
  });

  it('gives every result its finding\'s fingerprint as a partial fingerprint, unique within the run', () => {
    const r = run('errors') as unknown as { results: Array<{ partialFingerprints: Record<string, string> }> };
    expect(r.results.map((x) => x.partialFingerprints)).toEqual(errors.findings.map((f) => ({ [FINGERPRINT_KEY]: f.fingerprint })));
    expect(new Set(errors.findings.map((f) => f.fingerprint)).size).toBe(errors.findings.length);
  });

  it('gives real locations relative to %SRCROOT%, and none to repository-wide findings', () => {
    const r = run('errors');
    expect(r.originalUriBaseIds['%SRCROOT%']).toEqual({ uri: 'file:///home/ci/shop/' });
    expect(r.results[0]!.locations).toBeUndefined();
    expect(r.results[2]!.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'services/orders/src/payments-client.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 128, startColumn: 17 } } },
    ]);
    expect(r.results[4]!.locations![0]!.physicalLocation.region).toEqual({ startLine: 7 });
    expect(run('parseFailures').results[1]!.locations![0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'services/orders/src/generated/huge.ts', uriBaseId: '%SRCROOT%' } });
    expect(run('repositoryWide').results[0]!.locations).toBeUndefined();
    expect(parseFailures.findings).toHaveLength(2);
    expect(repositoryWide.findings[0]!.file).toBeNull();
  });

  it('points repository-wide findings at the anchor file when there is one, so code scanning shows them', () => {
    const log = JSON.parse(sarif(repositoryWide, { ...options, anchor: 'arch.config.json' })) as Log;
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const result = log.runs[0]!.results[0]! as Log['runs'][0]['results'][0] & { properties: Record<string, unknown> };
    expect(result.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'arch.config.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } } }]);
    expect(result.properties.repositoryWide).toBe(true);
    const withFile = JSON.parse(sarif(errors, { ...options, anchor: 'arch.config.json' })) as Log;
    expect(withFile.runs[0]!.results[2]!.locations![0]!.physicalLocation.artifactLocation.uri).toBe('services/orders/src/payments-client.ts');
  });

  it('encodes paths as URIs and keeps hostile messages as text', () => {
    const r = run('hostile');
    expect(r.results[1]!.locations![0]!.physicalLocation.artifactLocation.uri).toBe('services/we%20ird%2Csvc/a%3Ab%23c%25d.ts');
    expect(r.results[0]!.message.text).toBe(hostile.findings[0]!.message.replace('\u202E', '\\u202E').replace(/\u2066/g, '\\u2066').replace('\u2069', '\\u2069').replace('\u200B', '\\u200B'));
    expect(r.results[2]!.locations![0]!.physicalLocation.artifactLocation.uri).toBe('compose%2Cx%3Ay%E2%80%AElmay.yaml');
    expect(sarif(hostile, options)).not.toMatch(/\p{Cf}/u);
    expect(relativeUri('./a\\b c.ts')).toBe('a/b%20c.ts');
  });

  it('turns the root into a file URL with a trailing slash', () => {
    expect(directoryUrl('/home/ci/my shop')).toBe('file:///home/ci/my%20shop/');
    expect(directoryUrl('/')).toBe('file:///');
    expect(directoryUrl('C:\\work\\shop\\')).toBe('file:///C:/work/shop/');
    expect(directoryUrl('\\\\server\\share\\repo')).toBe('file://server/share/repo/');
    expect(directoryUrl('/srv/#1?x%')).toBe('file:///srv/%231%3Fx%25/');
  });
});
