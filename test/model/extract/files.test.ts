import { chmodSync, cpSync, mkdirSync, readdirSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { classifyFile, listFiles } from '../../../src/model/extract/files.js';
import { createReader } from '../../../src/model/read.js';
import { tmpDir } from '../../helpers/tmp.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/repos/${name}/`, import.meta.url));

/** A temporary copy of a fixture, each `_gitignore` renamed to `.gitignore` (git keeps the ignored files of the fixture). */
function copyFixture(name: string): string {
  const root = tmpDir();
  cpSync(fixture(name), root, { recursive: true });
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name === '_gitignore') {
      const dir = entry.parentPath;
      renameSync(path.join(dir, '_gitignore'), path.join(dir, '.gitignore'));
    }
  }
  return root;
}

function write(root: string, rel: string, content: string | Buffer = '') {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
}

const empty = { compose: [], yaml: [], dockerfiles: [], packageJson: [], env: [], source: [], skipped: [], other: [] };

describe('classifyFile', () => {
  it.for([
    ['compose.yaml', 'compose'],
    ['compose.yml', 'compose'],
    ['compose.override.yaml', 'compose'],
    ['compose-dev.yml', 'compose'],
    ['docker-compose.yml', 'compose'],
    ['docker-compose.prod.yaml', 'compose'],
    ['Docker-Compose.YML', 'compose'],
    ['composer.yaml', 'yaml'],
    ['deployment.yaml', 'yaml'],
    ['values.yml', 'yaml'],
    ['pnpm-lock.yaml', null],
    ['Dockerfile', 'dockerfiles'],
    ['dockerfile', 'dockerfiles'],
    ['Dockerfile.prod', 'dockerfiles'],
    ['api.Dockerfile', 'dockerfiles'],
    ['Containerfile', 'dockerfiles'],
    ['Dockerfile.dockerignore', null],
    ['.dockerignore', null],
    ['package.json', 'packageJson'],
    ['package-lock.json', null],
    ['.env', 'env'],
    ['.env.example', 'env'],
    ['orders.env', 'env'],
    ['.envrc', null],
    ['index.ts', 'source'],
    ['App.tsx', 'source'],
    ['main.mts', 'source'],
    ['cfg.cts', 'source'],
    ['server.js', 'source'],
    ['view.jsx', 'source'],
    ['esm.mjs', 'source'],
    ['cjs.cjs', 'source'],
    ['types.d.ts', null],
    ['types.d.mts', null],
    ['app.min.js', null],
    ['app-min.js', null],
    ['main.go', null],
    ['README.md', null],
  ] as const)('%s → %s', ([name, kind]) => {
    expect(classifyFile(name)).toBe(kind);
  });
});

describe('listFiles', () => {
  it('classifies a polyglot repository', () => {
    expect(listFiles(fixture('polyglot-compose'))).toEqual({
      compose: ['compose.yaml'],
      yaml: ['.github/workflows/ci.yml', 'deploy/k8s/apps.yaml'],
      dockerfiles: ['catalog/Dockerfile', 'orders/Dockerfile', 'recommendations/Dockerfile'],
      packageJson: [],
      env: ['.env', 'config/catalog.env'],
      source: [],
      skipped: [],
      other: [],
    });
  });

  it('keeps the other files an extractor accepts, ignored ones excepted', () => {
    const root = tmpDir();
    write(root, 'orders/pom.xml', '<project/>');
    write(root, 'orders/src/main/java/App.java', 'class App {}');
    write(root, 'orders/target/App.class', '');
    write(root, 'notes.md', '');
    write(root, '.gitignore', 'generated/\n');
    write(root, 'generated/Client.java', '');
    const files = listFiles(root, { accept: (rel) => rel.endsWith('.java') || rel.endsWith('pom.xml') });
    expect(files.other).toEqual(['orders/pom.xml', 'orders/src/main/java/App.java']);
    expect(listFiles(root).other).toEqual([]);
  });

  it('honours root and nested .gitignore files, skips dependency and output folders (build/ is left to .gitignore: Nomad and Helm files live there too) and symlink loops, and opens no file (the reader checks size and content)', () => {
    const root = copyFixture('hostile');
    write(root, 'k8s/huge.yaml', `# ${'x'.repeat(1024 * 1024)}\n`);
    write(root, 'node_modules/pkg/package.json', '{}');
    write(root, 'services/api/node_modules/dep/index.js', '');
    write(root, 'services/api/dist/index.js', '');
    write(root, 'dist/compose.yaml', '');
    write(root, 'build/k8s.yaml', '');
    write(root, 'coverage/lcov.yaml', '');
    write(root, 'vendor/lib/compose.yaml', '');
    write(root, '.venv/lib/site.yaml', '');
    write(root, 'target/classes/app.yaml', '');
    write(root, '.git/config.yaml', '');
    write(root, 'notes/big.md', 'x'.repeat(2 * 1024 * 1024)); // not read: no size check
    symlinkSync('..', path.join(root, 'services/api/parent')); // a loop back to services/
    expect(listFiles(root)).toEqual({
      compose: ['compose.yaml', 'docker-compose.broken.yml', 'legacy/compose.yaml'],
      yaml: ['build/k8s.yaml', 'config/app.yaml', 'config/keep.local.yaml', 'k8s/alias-bomb.yaml', 'k8s/broken.yaml', 'k8s/huge.yaml', 'services/api/nested/fixture.snap.yaml'],
      dockerfiles: ['services/api/Dockerfile', 'tools/Containerfile'],
      packageJson: ['services/api/package.json'],
      env: [],
      source: ['assets/clip.ts', 'services/api/src/index.ts', 'services/api/src/legacy.cjs'],
      skipped: [{ file: 'services/api/parent', message: 'skipped: symbolic link loop (points to its ancestor folder services)' }],
      other: [],
    });
  });

  it('applies ignore globs', () => {
    const root = copyFixture('hostile');
    // config/keep.local.yaml is re-included by .gitignore, and ignored by a glob all the same
    const files = listFiles(root, { ignore: ['legacy/**', '**/*.snap.yaml', 'assets', 'config/keep.*', '  '] });
    expect(files.compose).toEqual(['compose.yaml', 'docker-compose.broken.yml']);
    expect(files.yaml).toEqual(['config/app.yaml', 'k8s/alias-bomb.yaml', 'k8s/broken.yaml']);
    expect(files.source).toEqual(['services/api/src/index.ts', 'services/api/src/legacy.cjs']);
    expect(files.skipped).toEqual([]);
  });

  it('follows symbolic links once, and reports loops and links out of the repository (folders and files)', () => {
    const root = tmpDir();
    const outside = tmpDir();
    write(outside, 'secret/compose.yaml', 'services: {}');
    write(root, 'services/api/deploy.yaml', 'kind: Deployment');
    write(root, 'services/web/Dockerfile', 'FROM nginx');
    write(root, 'shared/config/app.yaml', 'a: 1');
    symlinkSync('..', path.join(root, 'services/api/up')); // → services: a loop
    symlinkSync('.', path.join(root, 'services/self')); // → itself: a loop
    symlinkSync('../shared', path.join(root, 'services/shared')); // a folder scanned under its own name
    symlinkSync(outside, path.join(root, 'outside'));
    symlinkSync('nowhere.yaml', path.join(root, 'dangling.yaml')); // dangling: nothing to scan
    symlinkSync('loop-b.yaml', path.join(root, 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', path.join(root, 'loop-b.yaml'));
    symlinkSync('shared/config/app.yaml', path.join(root, 'linked.yaml')); // a linked file is a file
    symlinkSync(path.join(outside, 'secret/compose.yaml'), path.join(root, 'services/api/secret.yaml')); // a file out: never read
    symlinkSync('services/web', path.join(root, 'web-link')); // scanned under its own name already
    const linkedOnly = tmpDir();
    write(linkedOnly, 'k8s/only-here.yaml', 'kind: Service');
    symlinkSync(path.join(linkedOnly, 'k8s'), path.join(root, 'shared/k8s'));
    expect(listFiles(root)).toEqual({
      ...empty,
      yaml: ['linked.yaml', 'services/api/deploy.yaml', 'shared/config/app.yaml'],
      dockerfiles: ['services/web/Dockerfile'],
      skipped: [
        { file: 'loop-a.yaml', message: 'skipped: symbolic link loop (the link resolves to itself)' },
        { file: 'loop-b.yaml', message: 'skipped: symbolic link loop (the link resolves to itself)' },
        { file: 'outside', message: 'skipped: symbolic link to a folder outside the repository' },
        { file: 'services/api/secret.yaml', message: 'skipped: symbolic link to a file outside the repository' },
        { file: 'services/api/up', message: 'skipped: symbolic link loop (points to its ancestor folder services)' },
        { file: 'services/self', message: 'skipped: symbolic link loop (points to its ancestor folder services)' },
        { file: 'shared/k8s', message: 'skipped: symbolic link to a folder outside the repository' },
      ],
    });
  });

  it('follows a linked folder inside the repository that is not otherwise reached', () => {
    const root = tmpDir();
    write(root, '.gitignore', 'real/\n');
    write(root, 'real/k8s/app.yaml', 'kind: Service');
    write(root, 'real/k8s/.gitignore', '*.tmp.yaml\n');
    write(root, 'real/k8s/x.tmp.yaml', '');
    symlinkSync('real/k8s', path.join(root, 'manifests'));
    expect(listFiles(root)).toEqual({ ...empty, yaml: ['manifests/app.yaml'] });
  });

  it('lets a deeper .gitignore re-include what a shallower one ignores, and reads .git/info/exclude', () => {
    const root = tmpDir();
    write(root, '.git/info/exclude', 'scratch.yaml\n');
    write(root, '.gitignore', '*.gen.yaml\n/top-only.yaml\n');
    write(root, 'a/.gitignore', '!keep.gen.yaml\nlocal/\n');
    write(root, 'a/keep.gen.yaml', '');
    write(root, 'a/drop.gen.yaml', '');
    write(root, 'a/top-only.yaml', '');
    write(root, 'a/local/x.yaml', '');
    write(root, 'b/local/x.yaml', '');
    write(root, 'top-only.yaml', '');
    write(root, 'scratch.yaml', '');
    write(root, 'a/scratch.yaml', '');
    expect(listFiles(root).yaml).toEqual(['a/keep.gen.yaml', 'a/top-only.yaml', 'b/local/x.yaml']);
  });

  it.skipIf(process.getuid?.() === 0)('reports unreadable files and folders (as a user without root rights)', () => {
    const root = tmpDir();
    write(root, 'locked/app.yaml', '');
    write(root, 'secret.yaml', '');
    chmodSync(path.join(root, 'secret.yaml'), 0o000);
    chmodSync(path.join(root, 'locked'), 0o000);
    try {
      const reader = createReader(root);
      expect(listFiles(root, { reader })).toEqual({ ...empty, yaml: ['secret.yaml'], skipped: [{ file: 'locked', message: 'skipped folder: cannot read it: permission denied' }] });
      expect(reader.read('secret.yaml')).toBeNull();
      expect(reader.diagnostics).toEqual([{ file: 'secret.yaml', message: 'skipped: cannot read the file: permission denied' }]);
    } finally {
      chmodSync(path.join(root, 'locked'), 0o755);
    }
  });

  it('is empty with one diagnostic for a root that does not exist', () => {
    expect(listFiles(path.join(tmpDir(), 'missing'))).toEqual({ ...empty, skipped: [{ file: '.', message: 'skipped folder: cannot read it: not found' }] });
  });
});

describe('listFiles with a file system that refuses access', () => {
  afterEach(() => {
    vi.doUnmock('node:fs');
    vi.resetModules();
  });

  it('turns EACCES on files and folders into diagnostics', async () => {
    const root = tmpDir();
    write(root, 'locked/app.yaml', '');
    write(root, 'open/app.yaml', '');
    write(root, 'secret.yaml', '');
    const denied = (p: unknown) => Object.assign(new Error(`EACCES: permission denied, open '${String(p)}'`), { code: 'EACCES' });
    vi.resetModules();
    vi.doMock('node:fs', async (importOriginal) => {
      const fs = await importOriginal<typeof import('node:fs')>();
      return {
        ...fs,
        readdirSync: ((p: string, o: never) => {
          if (String(p).endsWith(`${path.sep}locked`)) throw denied(p);
          return fs.readdirSync(p, o);
        }) as typeof fs.readdirSync,
        openSync: ((p: string, flags: string) => {
          if (String(p).endsWith('secret.yaml')) throw denied(p);
          return fs.openSync(p, flags);
        }) as typeof fs.openSync,
      };
    });
    const { listFiles: list } = await import('../../../src/model/extract/files.js');
    const { createReader: mockedReader } = await import('../../../src/model/read.js');
    expect(list(root)).toEqual({ ...empty, yaml: ['open/app.yaml', 'secret.yaml'], skipped: [{ file: 'locked', message: 'skipped folder: cannot read it: permission denied' }] });
    const reader = mockedReader(root);
    expect(reader.read('secret.yaml')).toBeNull();
    expect(reader.diagnostics).toEqual([{ file: 'secret.yaml', message: 'skipped: cannot read the file: permission denied' }]);
  });
});
