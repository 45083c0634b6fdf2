/**
 * `arch check` on repositories built as an attacker would: the repository is
 * untrusted input (it runs on pull requests). Nothing hangs, nothing outside
 * the root is read, everything wrong is one finding per file and cause.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { check } from '../../src/check/run.js';
import type { Finding } from '../../src/check/types.js';
import { scan } from '../../src/model/scan.js';
import { runCli } from '../helpers/run-cli.js';
import { tmpDir } from '../helpers/tmp.js';

function repo(files: Record<string, string>): string {
  const root = tmpDir('archkit-hostile-');
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

const parseErrors = (findings: readonly Finding[]) => findings.filter((f) => f.ruleId === 'parse-error').map((f) => `${f.file}${f.line ? `:${f.line}` : ''} ${f.message}`);

const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: "example/${name}:1"}]\n`;

describe.skipIf(process.platform === 'win32')('arch check on a hostile repository', () => {
  it('does not block on FIFOs (.env beside compose.yaml, .gitignore, a Dockerfile, a manifest, source): those read are findings', async () => {
    const root = repo({
      'compose.yaml': 'services:\n  api:\n    build: ./api\n    environment: [PORT]\n',
      'api/package.json': '{"name":"api","dependencies":{"fastify":"5.0.0"}}',
    });
    for (const fifo of ['.env', '.env.example', 'api/Dockerfile', 'k8s.yaml', '.gitignore', 'api/src/index.ts']) {
      mkdirSync(path.dirname(path.join(root, fifo)), { recursive: true });
      execFileSync('mkfifo', [path.join(root, fifo)]);
    }
    const { result, model } = await check(root);
    expect(model.services.map((s) => s.name)).toEqual(['api']);
    expect(parseErrors(result.findings)).toEqual(['.env skipped: not a regular file (a FIFO)', '.env.example skipped: not a regular file (a FIFO)', '.gitignore skipped: not a regular file (a FIFO)']);
  });

  it('reads nothing outside the root: env_file to /dev/zero or out of the repository, linked manifests and compose files', async () => {
    const outside = repo({ 'svc.env': 'DATABASE_URL=postgres://prod-db.outside/secretdb\n', 'secret.yaml': deployment('secret-svc'), 'compose.yaml': 'services:\n  stolen: {image: "x/stolen:1"}\n' });
    const root = repo({
      'compose.yaml': [
        'services:',
        '  api:',
        '    image: example/api:1',
        '    env_file: [../../../../../../../../dev/zero, web.env]',
        '  web:',
        '    image: example/web:1',
        `    env_file: [../${path.basename(outside)}/svc.env, ${path.join(outside, 'svc.env')}]`,
        '',
      ].join('\n'),
    });
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'deploy.yaml'));
    symlinkSync(path.join(outside, 'compose.yaml'), path.join(root, 'compose.override.yaml'));
    symlinkSync('/dev/zero', path.join(root, 'web.env'));
    const { result, model } = await check(root);
    expect(model.services.map((s) => s.name)).toEqual(['api', 'web']);
    expect(JSON.stringify(model)).not.toMatch(/secret|stolen|prod-db/);
    expect(parseErrors(result.findings).sort()).toEqual([
      'compose.override.yaml skipped: symbolic link to a file outside the repository',
      'compose.yaml refers to "../../../../../../../../dev/zero", outside the repository: not read',
      `compose.yaml refers to "../${path.basename(outside)}/svc.env", outside the repository: not read`,
      `compose.yaml refers to "${path.join(outside, 'svc.env')}", outside the repository: not read`,
      'compose.yaml refers to "web.env", outside the repository: not read',
      'deploy.yaml skipped: symbolic link to a file outside the repository',
    ]);
  });

  it('applies the size cap to the root compose file too', async () => {
    const text = `services:\n  api: {image: "example/api:1"}\n# ${'x'.repeat(1024 * 1024)}\n`;
    const root = repo({ 'compose.yaml': text });
    const model = await scan(root);
    expect(model.services).toEqual([]);
    expect(model.diagnostics).toEqual([{ file: 'compose.yaml', message: `skipped: larger than the 1 MiB size limit (${text.length} bytes)` }]);
  });

  it('reports duplicate YAML keys in compose files and Kubernetes manifests, not in other YAML', async () => {
    const root = repo({
      'compose.yaml': 'services:\n  api: {image: "example/api:1"}\nservices:\n  web: {image: "example/web:1"}\n',
      'k8s/api.yaml': deployment('api').replace('metadata: {name: api}', 'metadata: {name: api, name: api2}'),
      '.github/workflows/ci.yml': 'on: push\non: pull_request\n',
    });
    const model = await scan(root);
    expect(model.diagnostics).toEqual([
      { file: 'compose.yaml', line: 3, message: 'duplicate key "services" (first on line 1): Compose refuses the file' },
      { file: 'k8s/api.yaml', line: 3, message: 'duplicate key "name" (first on line 3): Kubernetes refuses the manifest' },
    ]);
  });

  it('reports each file and cause once: a broken workspace package.json, an unparsable compose file', async () => {
    const root = repo({
      'package.json': '{"name":"shop","private":true,"workspaces":["services/*"]}',
      'services/orders/package.json': '{ "name": ',
      'compose.yaml': 'services:\n  orders: [\n',
    });
    const { result } = await check(root);
    expect(parseErrors(result.findings)).toEqual([
      'compose.yaml:3 cannot parse YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      `services/orders/package.json cannot parse package.json: ${(() => {
        try {
          JSON.parse('{ "name": ');
        } catch (error) {
          return (error as Error).message;
        }
      })()}`,
    ]);
  });
});

describe('arch.config.json on hostile input', () => {
  it.for(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('does not take %s for a rule id', async (id) => {
    const root = repo({ 'arch.config.json': `{"rules": {"${id}": ["warn", {}]}}` });
    const run = await runCli(['check', root], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`arch.config.json: /rules/${id}: unknown rule "${id}"`);
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO configuration file instead of blocking on it', async () => {
    const root = repo({});
    execFileSync('mkfifo', [path.join(root, 'arch.config.json')]);
    const run = await runCli(['check', root], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read arch.config.json: not a regular file (a FIFO)');
  });
});

describe('an internal error', () => {
  afterEach(() => {
    vi.doUnmock('../../src/model/scan.js');
    vi.resetModules();
  });

  it('exits 2, not 1 (which CI reads as findings), with one line; --verbose adds the stack', async () => {
    vi.resetModules();
    vi.doMock('../../src/model/scan.js', async (importOriginal) => ({
      ...(await importOriginal<typeof import('../../src/model/scan.js')>()),
      scan: () => Promise.reject(new TypeError('boom')),
    }));
    const { runCli: run } = await import('../helpers/run-cli.js');
    const root = repo({ 'compose.yaml': 'services: {}\n' });
    const quiet = await run(['check', root], { cwd: root });
    expect(quiet.code).toBe(2);
    expect(quiet.stderr).toBe('error boom\nRun again with --verbose for details.\n');
    const verbose = await run(['check', root, '--verbose'], { cwd: root });
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toMatch(/^error boom\nTypeError: boom\n {4}at /);
  });
});
