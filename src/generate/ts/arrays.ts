/** Idempotent edits of exported array literals (route tables, registries). */
import type { ArrayLiteralExpression, SourceFile } from 'ts-morph';
import { Node } from './morph.js';

const squash = (text: string) => text.replace(/\s+/g, '').replace(/,$/, '');

/** The array literal initialising `const name = [...]` (through `as const` / `satisfies` too). */
export function findArray(file: SourceFile, name: string): ArrayLiteralExpression | undefined {
  let node: Node | undefined = file.getVariableDeclaration(name)?.getInitializer();
  while (node && (Node.isAsExpression(node) || Node.isSatisfiesExpression(node) || Node.isParenthesizedExpression(node))) {
    node = node.getExpression();
  }
  return node && Node.isArrayLiteralExpression(node) ? node : undefined;
}

/** The string value of `property` in an object-literal element (`{ name: 'postgres', … }`). */
function keyValue(element: Node, property: string): string | undefined {
  if (!Node.isObjectLiteralExpression(element)) return undefined;
  const prop = element.getProperty(property);
  const init = prop && Node.isPropertyAssignment(prop) ? prop.getInitializer() : undefined;
  return init !== undefined && Node.isStringLiteral(init) ? init.getLiteralValue() : undefined;
}

export interface ArrayElementOptions {
  /** Elements are objects identified by this property: an element with the same value counts as present. */
  key?: { property: string; value: string };
  /** Insert before the first object element whose `property` is one of `values` (else append). */
  before?: { property: string; values: readonly string[] };
}

/**
 * Ensures `element` (source text) is in the array literal: present when an
 * element has the same text, or the same `key` property value (so a user's
 * edited entry is not duplicated). Inserted before the `before` anchor when
 * found, else appended.
 */
export function ensureElement(array: ArrayLiteralExpression, element: string, options: ArrayElementOptions = {}): void {
  const elements = array.getElements();
  if (elements.some((e) => squash(e.getText()) === squash(element))) return;
  if (options.key && elements.some((e) => keyValue(e, options.key!.property) === options.key!.value)) return;
  const { before } = options;
  const anchor = before ? elements.findIndex((e) => before.values.includes(keyValue(e, before.property) ?? '\0')) : -1;
  // Keep a one-line array on one line (`[a, b]`), a multi-line one multi-line.
  const useNewLines = elements.length === 0 || array.getText().includes('\n');
  if (anchor === -1) array.addElement(element, { useNewLines });
  else array.insertElement(anchor, element, { useNewLines });
}

/** `ensureElement` on the array `const name = [...]`. Returns false when the array is not found. */
export function ensureArrayElement(file: SourceFile, name: string, element: string, options: ArrayElementOptions = {}): boolean {
  const array = findArray(file, name);
  if (!array) return false;
  ensureElement(array, element, options);
  return true;
}

/** Removes the object elements of `const name = [...]` whose `key.property` is `key.value`. Returns whether any was removed. */
export function removeArrayElement(file: SourceFile, name: string, key: { property: string; value: string }): boolean {
  const array = findArray(file, name);
  if (!array) return false;
  const matches = array.getElements().filter((e) => keyValue(e, key.property) === key.value);
  for (const element of matches.reverse()) array.removeElement(element);
  return matches.length > 0;
}
