/**
 * `arch check` never crashes on a repository: malformed YAML and JSON,
 * TypeScript with syntax errors, binary and oversized files and 10,000 files
 * all end in findings or skips.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/check/run.js';
import { tmpDir } from '../helpers/tmp.js';

describe('arch check on a hostile, large repository', () => {
  it('ends in findings and skips, never a crash', { timeout: 120_000 }, async () => {
    const root = tmpDir('archkit-big-');
    const write = (file: string, content: string | Buffer) => {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), content);
    };
    write('package.json', JSON.stringify({ name: 'big', private: true, workspaces: ['services/*'] }));
    write('compose.yaml', 'services:\n  svc-0:\n    build: ./services/svc-0\n    healthcheck: { test: ["CMD", "true"] }\n    deploy: { replicas: 2 }\n');
    write('broken/compose.yaml', 'services:\n  x: [\n');
    write('k8s/bad.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: [\n');
    write('services/svc-1/package.json', '{ "name": ');
    write('services/svc-0/src/broken.ts', 'export function (( {\n  const = ;\n');
    write('services/svc-0/src/binary.ts', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00]));
    write('services/svc-0/src/huge.ts', `export const x = "${'a'.repeat(2 * 1024 * 1024)}";\n`);
    for (let s = 0; s < 50; s++) {
      const dir = `services/svc-${s}`;
      if (s !== 1) write(`${dir}/package.json`, JSON.stringify({ name: `svc-${s}`, dependencies: { fastify: '5.0.0' } }));
      for (let f = 0; f < 200; f++) {
        write(`${dir}/src/m${f}.ts`, `import { m${(f + 1) % 200} } from './m${(f + 1) % 200}.js';\nexport const m${f} = () => fetch('http://svc-${(s + 1) % 50}:3000/x/${f}');\nvoid m${(f + 1) % 200};\n`);
      }
    }
    const { result } = await check(root);
    expect(result.services.length).toBeGreaterThanOrEqual(49);
    const parseErrors = result.findings.filter((f) => f.ruleId === 'parse-error').map((f) => f.file);
    expect(parseErrors).toEqual(expect.arrayContaining(['broken/compose.yaml', 'services/svc-1/package.json', 'services/svc-0/src/broken.ts', 'services/svc-0/src/binary.ts', 'services/svc-0/src/huge.ts']));
    // svc-1's package.json is broken, so its 200 files belong to no service and are not parsed.
    expect(result.summary.files).toBeGreaterThan(9_800);
  });
});
