import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReader } from '../../src/model/read.js';
import { tmpDir } from '../helpers/tmp.js';

function write(root: string, rel: string, content: string | Buffer): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
}

describe('createReader', () => {
  it('reads a regular file inside the root, and says nothing about a missing one', () => {
    const root = tmpDir();
    write(root, 'services/api/package.json', '{"name":"api"}');
    const reader = createReader(root);
    expect(reader.root).toBe(path.resolve(root));
    expect(reader.read('services/api/package.json')).toBe('{"name":"api"}');
    expect(reader.read('./services//api/../api/package.json')).toBe('{"name":"api"}');
    expect(reader.read('missing.yaml')).toBeNull();
    expect(reader.read('services/api/package.json/x')).toBeNull();
    expect(reader.diagnostics).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO without opening it (it would block), once per file', () => {
    const root = tmpDir();
    execFileSync('mkfifo', [path.join(root, '.env')]);
    const reader = createReader(root);
    expect(reader.read('.env')).toBeNull();
    expect(reader.read('.env')).toBeNull();
    expect(reader.isFile('.env')).toBe(false);
    expect(reader.diagnostics).toEqual([{ file: '.env', message: 'skipped: not a regular file (a FIFO)' }]);
  });

  it('never reads outside the root: paths that climb out, and symbolic links out', () => {
    const root = tmpDir();
    const outside = tmpDir();
    write(outside, 'secret.yaml', 'services: {}');
    write(root, 'app.yaml', 'a: 1');
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'deploy.yaml'));
    symlinkSync('/dev/zero', path.join(root, 'zero.env'));
    symlinkSync(outside, path.join(root, 'elsewhere'));
    symlinkSync('app.yaml', path.join(root, 'linked.yaml'));
    const reader = createReader(root);
    expect(reader.read('deploy.yaml')).toBeNull();
    expect(reader.read('zero.env')).toBeNull();
    expect(reader.read('elsewhere/secret.yaml')).toBeNull();
    expect(reader.read(`../${path.basename(outside)}/secret.yaml`)).toBeNull();
    expect(reader.read(path.join(outside, 'secret.yaml'))).toBeNull();
    expect(reader.isFile('deploy.yaml')).toBe(false);
    expect(reader.read('linked.yaml')).toBe('a: 1');
    expect(reader.diagnostics.map((d) => d.file)).toEqual(['deploy.yaml', 'zero.env', 'elsewhere/secret.yaml', `../${path.basename(outside)}/secret.yaml`, path.join(outside, 'secret.yaml')]);
    expect(new Set(reader.diagnostics.map((d) => d.message))).toEqual(
      new Set(['skipped: symbolic link to a file outside the repository', 'skipped: the path leaves the repository']),
    );
  });

  it('applies the size cap and the binary sniff, and refuses folders', () => {
    const root = tmpDir();
    write(root, 'big.yaml', 'x'.repeat(11));
    write(root, 'fits.yaml', 'x'.repeat(10));
    write(root, 'clip.ts', Buffer.from([0x61, 0x00, 0x62]));
    mkdirSync(path.join(root, 'dir.env'));
    const reader = createReader(root, { maxFileSize: 10 });
    expect(reader.read('big.yaml')).toBeNull();
    expect(reader.read('fits.yaml')).toBe('x'.repeat(10));
    expect(reader.read('clip.ts')).toBeNull();
    expect(reader.read('dir.env')).toBeNull();
    expect(reader.isFile('dir.env')).toBe(false);
    expect(reader.diagnostics).toEqual([
      { file: 'big.yaml', message: 'skipped: larger than the 10 bytes size limit (11 bytes)' },
      { file: 'clip.ts', message: 'skipped: binary file (NUL byte in its first 8 KB)' },
      { file: 'dir.env', message: 'skipped: not a regular file (a folder)' },
    ]);
    expect(createReader(root).read('big.yaml')).toBe('x'.repeat(11));
  });

  it('resolves references inside the root and refuses those that leave it, on the referring file', () => {
    const root = tmpDir();
    const outside = tmpDir();
    write(root, 'deploy/compose.yaml', '');
    write(root, 'deploy/app.env', 'A=1');
    symlinkSync(outside, path.join(root, 'deploy/out'));
    const reader = createReader(root);
    expect(reader.resolve('deploy/compose.yaml', 'deploy', 'app.env')).toBe('deploy/app.env');
    expect(reader.resolve('deploy/compose.yaml', 'deploy', './x/../app.env')).toBe('deploy/app.env');
    expect(reader.resolve('deploy/compose.yaml', 'deploy', '../services\\api')).toBe('services/api');
    expect(reader.resolve('deploy/compose.yaml', 'deploy', 'not-yet/there.env')).toBe('deploy/not-yet/there.env');
    expect(reader.resolve('deploy/compose.yaml', 'deploy', '..')).toBe('.');
    expect(reader.resolve('deploy/compose.yaml', 'deploy', '../../../../../../../../dev/zero')).toBeNull();
    expect(reader.resolve('deploy/compose.yaml', 'deploy', '/etc/passwd')).toBeNull();
    expect(reader.resolve('deploy/compose.yaml', 'deploy', 'C:\\secrets.env')).toBeNull();
    expect(reader.resolve('deploy/compose.yaml', 'deploy', 'out/secret.env')).toBeNull();
    expect(reader.resolve('deploy/compose.yaml', 'deploy', 'out/secret.env')).toBeNull();
    expect(reader.diagnostics).toEqual([
      { file: 'deploy/compose.yaml', message: 'refers to "../../../../../../../../dev/zero", outside the repository: not read' },
      { file: 'deploy/compose.yaml', message: 'refers to "/etc/passwd", outside the repository: not read' },
      { file: 'deploy/compose.yaml', message: 'refers to "C:\\secrets.env", outside the repository: not read' },
      { file: 'deploy/compose.yaml', message: 'refers to "out/secret.env", outside the repository: not read' },
    ]);
  });

  it('reports each file and cause once', () => {
    const reader = createReader(tmpDir());
    reader.report({ file: 'compose.yaml', line: 3, message: 'cannot parse YAML: x' });
    reader.report({ file: 'compose.yaml', line: 3, message: 'cannot parse YAML: x' });
    reader.report({ file: 'compose.yaml', message: 'cannot parse YAML: y' });
    expect(reader.diagnostics).toEqual([
      { file: 'compose.yaml', line: 3, message: 'cannot parse YAML: x' },
      { file: 'compose.yaml', message: 'cannot parse YAML: y' },
    ]);
  });
});
