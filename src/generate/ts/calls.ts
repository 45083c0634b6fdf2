/** Idempotent statement edits inside a named function. */
import type { Block, SourceFile } from 'ts-morph';
import { Node } from './morph.js';

const squash = (text: string) => text.replace(/\s+/g, '').replace(/;$/, '');

/** The block body of `function name() {}`, or of `const name = () => {}` / `= function () {}`. */
export function findFunctionBody(file: SourceFile, name: string): Block | undefined {
  const fn = file.getFunction(name);
  const body = fn ? fn.getBody() : file.getVariableDeclaration(name)?.getInitializer();
  const target = body && (Node.isArrowFunction(body) || Node.isFunctionExpression(body)) ? body.getBody() : body;
  return target && Node.isBlock(target) ? target : undefined;
}

/**
 * Ensures `statement` is in the body of function `name`: inserted after the
 * first statement whose text contains `after`, or before the one containing
 * `before`, else at the end. Returns false when the function is not found
 * (the caller turns that into manual steps). A statement already present
 * (ignoring white space) is left alone.
 */
export function ensureStatement(file: SourceFile, name: string, statement: string, options: { after?: string; before?: string } = {}): boolean {
  const body = findFunctionBody(file, name);
  if (!body) return false;
  const statements = body.getStatements();
  if (statements.some((s) => squash(s.getText()) === squash(statement))) return true;
  let index = statements.length;
  if (options.after !== undefined) {
    const anchor = statements.findIndex((s) => s.getText().includes(options.after!));
    if (anchor !== -1) index = anchor + 1;
  } else if (options.before !== undefined) {
    const anchor = statements.findIndex((s) => s.getText().includes(options.before!));
    if (anchor !== -1) index = anchor;
  }
  body.insertStatements(index, statement);
  return true;
}
