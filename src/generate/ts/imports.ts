/** Idempotent import edits. */
import type { SourceFile } from 'ts-morph';

/**
 * Ensures `import { name } from 'module'` (or a default import when
 * `options.default`). Reuses an existing import of the module; adds a new
 * declaration after the last import otherwise. Does nothing when present.
 */
export function ensureImport(file: SourceFile, moduleSpecifier: string, specifier: string, options: { default?: boolean; typeOnly?: boolean } = {}): void {
  // `type Foo` asks for a type-only specifier inside a value import.
  const typeSpecifier = !options.default && specifier.startsWith('type ');
  const name = typeSpecifier ? specifier.slice(5).trim() : specifier;
  const existing = file.getImportDeclarations().filter((d) => d.getModuleSpecifierValue() === moduleSpecifier && !d.isTypeOnly() === !options.typeOnly);
  for (const decl of existing) {
    if (options.default ? decl.getDefaultImport()?.getText() === name : decl.getNamedImports().some((n) => (n.getAliasNode()?.getText() ?? n.getName()) === name)) {
      return;
    }
  }
  const reusable = existing.find((d) => !d.getNamespaceImport() && (options.default ? !d.getDefaultImport() : true));
  if (reusable) {
    if (options.default) reusable.setDefaultImport(name);
    else reusable.addNamedImport({ name, isTypeOnly: typeSpecifier });
    return;
  }
  // At its sorted place when the imports are sorted by module (as generated files are), else after the last one.
  const imports = file.getImportDeclarations();
  const specifiers = imports.map((d) => d.getModuleSpecifierValue());
  const sorted = specifiers.every((m, i) => i === 0 || specifiers[i - 1]! <= m);
  const before = sorted ? imports.find((d) => d.getModuleSpecifierValue() > moduleSpecifier) : undefined;
  const index = before ? before.getChildIndex() : imports.length === 0 ? 0 : imports[imports.length - 1]!.getChildIndex() + 1;
  const declaration = {
    moduleSpecifier,
    isTypeOnly: options.typeOnly ?? false,
    ...(options.default ? { defaultImport: name } : { namedImports: [name] }),
  };
  // Before the first statement, its leading comments are the file's header: keep them on top.
  const header = index === 0 && before ? file.getFullText().slice(0, before.getStart()) : '';
  if (header.trim() === '') {
    file.insertImportDeclaration(index, declaration);
    return;
  }
  file.replaceText([0, header.length], '');
  file.insertImportDeclaration(0, declaration);
  file.insertText(0, header);
}
