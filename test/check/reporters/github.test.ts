import { describe, expect, it } from 'vitest';
import github, { escapeData, escapeProperty } from '../../../src/check/reporters/github.js';
import { FIXTURES, FIXTURE_NAMES, ROOT, clean, errors, hostile } from './__fixtures__/results.js';

const plain = { color: false, root: ROOT, verbose: false };
const commands = (out: string) => out.split('\n').filter((l) => l.startsWith('::'));

describe('github reporter', () => {
  it.for(FIXTURE_NAMES)('%s', async (name) => {
    await expect(github(FIXTURES[name], plain)).toMatchFileSnapshot(`__snapshots__/github/${name}.txt`);
  });

  it('writes one annotation per finding, with file, line and column when known', () => {
    const annotations = commands(github(errors, plain)).filter((l) => /^::(error|warning) /.test(l));
    expect(annotations).toEqual([
      '::error title=services-found::declared service "billing" was not found',
      '::error file=compose.yaml,line=3,col=3,title=health-checks::orders has no compose healthcheck',
      '::warning file=services/orders/src/payments-client.ts,line=128,col=17,title=circuit-breakers::call to payments without a circuit breaker',
      '::error file=compose.yaml,line=21,col=9,title=no-shared-database::database postgres://orders-db/orders is shared with orders',
      '::warning file=services/payments/src/index.ts,line=7,title=circuit-breakers::call to orders without a circuit breaker',
    ]);
  });

  it('ends with a plain summary line', () => {
    expect(github(errors, plain).trimEnd().split('\n').at(-1)).toBe('archkit: 5 problems (3 errors, 2 warnings); 2 suppressed, 1 baselined');
    expect(github(clean, plain).trimEnd().split('\n').at(-1)).toBe('archkit: no problems');
  });

  it('escapes data and properties as the runner expects', () => {
    expect(escapeData('100%\r\nnext :,')).toBe('100%25%0D%0Anext :,');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('cannot be made to emit another command by hostile text', () => {
    const out = github(hostile, plain);
    const lines = commands(out);
    // The three annotations plus the scorecard group: nothing injected.
    expect(lines.map((l) => l.slice(0, l.indexOf(' ') === -1 ? undefined : l.indexOf(' ')))).toEqual(['::error', '::error', '::warning', '::group::archkit', '::endgroup::']);
    expect(lines[0]).toBe('::error title=services-found::pipe | in a table, `backticks`, 100%25 sure,%0Asecond line%0D%0A::warning::injected; isAdmin\\u202E \\u2066// admin only\\u2069\\u2066 zero\\u200Bwidth');
    expect(lines[1]).toMatch(/^::error file=services\/we ird%2Csvc\/a%3Ab#c%25d\.ts,line=1,col=2,title=no-shared-database::/);
    expect(out).not.toMatch(/\p{Cf}/u);
    expect(lines[2]).toBe('::warning file=compose%2Cx%3Ay\\u202Elmay.yaml,line=3,title=parse-error::::error::not a command%0A::set-env name=X::y');
    expect(out).not.toContain('\r');
    expect(out).not.toContain('\u001b');
    expect(lines[1]).toContain('\\ back\\x1b[31mred');
  });
});
