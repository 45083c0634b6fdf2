import { describe, expect, it } from 'vitest';
import type { BuildUnit, FileFacts } from '../../../src/model/facts.js';
import { assignFiles } from '../../../src/model/link/ownership.js';

const goModule = (dir: string, name: string): BuildUnit => ({ kind: 'go', dir, name, executable: null, parent: null, modules: [], references: [], images: [], location: { file: dir === '.' ? 'go.mod' : `${dir}/go.mod` } });
const importing = (file: string, ...specifiers: string[]): [string, FileFacts] => [file, { imports: specifiers.map((specifier) => ({ specifier, location: { file, line: 3 } })) } as FileFacts];

describe('link: file ownership', () => {
  it('a file belongs to the service with the deepest folder holding it, none outside every service folder', () => {
    const files = ['package.json', 'src/main.ts', 'services/orders/src/main.ts', 'services/orders-web/index.ts', 'tools/seed.ts'];
    const { owners } = assignFiles(files, [{ name: 'shop', dir: '.' }, { name: 'orders', dir: 'services/orders' }, { name: 'billing', dir: null }], new Map(), []);
    expect(Object.fromEntries(owners)).toEqual({
      'package.json': ['shop'],
      'src/main.ts': ['shop'],
      'services/orders/src/main.ts': ['orders'],
      'services/orders-web/index.ts': ['shop'],
      'tools/seed.ts': ['shop'],
    });
    expect(assignFiles(['tools/seed.ts'], [{ name: 'orders', dir: 'services/orders' }], new Map(), []).owners.size).toBe(0);
  });

  it('a Go main package owns the local packages it imports, transitively; another service folder is a cross import, not its code', () => {
    const files = ['go.mod', 'cmd/counter/main.go', 'internal/counter/store.go', 'internal/db/pool.go', 'pkg/unused/x.go', 'cmd/admin/main.go'];
    const facts = new Map<string, FileFacts>([
      importing('cmd/counter/main.go', 'example.com/app/internal/counter', 'example.com/app/cmd/admin', 'github.com/lib/pq'),
      importing('internal/counter/store.go', 'example.com/app/internal/db'),
      importing('cmd/admin/main.go'),
    ]);
    const { owners, crossImports } = assignFiles(files, [{ name: 'counter', dir: 'cmd/counter' }, { name: 'admin', dir: 'cmd/admin' }], facts, [goModule('.', 'example.com/app')]);
    expect(owners.get('internal/counter/store.go')).toEqual(['counter']);
    expect(owners.get('internal/db/pool.go')).toEqual(['counter']);
    expect(owners.get('pkg/unused/x.go')).toBeUndefined();
    expect(owners.get('cmd/admin/main.go')).toEqual(['admin']);
    expect(crossImports).toEqual([{ service: 'counter', target: 'admin', specifier: 'example.com/app/cmd/admin', file: 'cmd/counter/main.go', line: 3 }]);
  });

  it('folders without Go files below an imported package are its files, but not below the module root or in another package', () => {
    const files = [
      'go.mod',
      'db/migrations/0001.up.sql',
      'cmd/counter/main.go',
      'internal/counter/store/db.go',
      'internal/counter/store/query/query.sql',
      'internal/counter/store/query/deep/more.sql',
      'internal/counter/store/sub/other.go',
      'internal/counter/store/sub/sub.sql',
      'internal/kitchen/store/query/query.sql',
    ];
    const facts = new Map<string, FileFacts>([importing('cmd/counter/main.go', 'example.com/app/internal/counter/store', 'example.com/app')]);
    const { owners } = assignFiles(files, [{ name: 'counter', dir: 'cmd/counter' }], facts, [goModule('.', 'example.com/app')]);
    expect(owners.get('internal/counter/store/query/query.sql')).toEqual(['counter']);
    expect(owners.get('internal/counter/store/query/deep/more.sql')).toEqual(['counter']);
    // A folder with Go files is a package of its own, owned only when imported.
    expect(owners.get('internal/counter/store/sub/sub.sql')).toBeUndefined();
    expect(owners.get('internal/kitchen/store/query/query.sql')).toBeUndefined();
    // The module root is imported too, but its folders (shared migrations, deployment files) are not its resources.
    expect(owners.get('db/migrations/0001.up.sql')).toBeUndefined();
  });
});
