/** Idempotent edits of exported array literals (route tables, registries). */
import { Node, type ArrayLiteralExpression, type SourceFile } from 'ts-morph';

const squash = (text: string) => text.replace(/\s+/g, '').replace(/,$/, '');

/** The array literal initialising `const name = [...]` (through `as const` / `satisfies` too). */
export function findArray(file: SourceFile, name: string): ArrayLiteralExpression | undefined {
  let node: Node | undefined = file.getVariableDeclaration(name)?.getInitializer();
  while (node && (Node.isAsExpression(node) || Node.isSatisfiesExpression(node) || Node.isParenthesizedExpression(node))) {
    node = node.getExpression();
  }
  return node && Node.isArrayLiteralExpression(node) ? node : undefined;
}

/**
 * Appends `element` (source text) to the array `name` unless an element with
 * the same text, or the same `key` property value when `key` is given, is
 * already there (so a user's edited entry is not duplicated). Returns false
 * when the array is not found.
 */
export function ensureArrayElement(file: SourceFile, name: string, element: string, options: { key?: { property: string; value: string } } = {}): boolean {
  const array = findArray(file, name);
  if (!array) return false;
  const elements = array.getElements();
  if (elements.some((e) => squash(e.getText()) === squash(element))) return true;
  if (options.key) {
    const { property, value } = options.key;
    const same = elements.some((e) => {
      if (!Node.isObjectLiteralExpression(e)) return false;
      const prop = e.getProperty(property);
      const init = prop && Node.isPropertyAssignment(prop) ? prop.getInitializer() : undefined;
      return init !== undefined && Node.isStringLiteral(init) && init.getLiteralValue() === value;
    });
    if (same) return true;
  }
  array.addElement(element, { useNewLines: true });
  return true;
}
