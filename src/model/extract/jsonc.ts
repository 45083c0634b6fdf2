/**
 * JSON with comments and trailing commas (appsettings, ocelot.json, launch profiles), read with jsonc-parser
 * into its offset tree, with a line for each node and helpers to walk objects the way .NET configuration
 * reads them (keys case-insensitive).
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export type JsonNode = Node;

export interface JsonDocument {
  root: JsonNode | undefined;
  /** 1-based line of an offset. */
  lineAt(offset: number): number;
  error: { message: string; line: number } | null;
}

export function parseJsonc(text: string): JsonDocument {
  const errors: ParseError[] = [];
  // A byte-order mark (Visual Studio writes one) is no JSON; blank it so offsets stay those of the file.
  if (text.charCodeAt(0) === 0xfeff) text = ` ${text.slice(1)}`;
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const first = errors[0];
  return { root, lineAt, error: first ? { message: printParseErrorCode(first.error), line: lineAt(first.offset) } : null };
}

/** An object's properties as [key, value node, key node] in order; empty for anything else. */
export function entries(node: JsonNode | undefined): Array<[string, JsonNode, JsonNode]> {
  if (node?.type !== 'object') return [];
  const out: Array<[string, JsonNode, JsonNode]> = [];
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? [];
    if (key && value && typeof key.value === 'string') out.push([key.value, value, key]);
  }
  return out;
}

/** A property of an object by name, case-insensitive (as .NET configuration binds). */
export function member(node: JsonNode | undefined, name: string): JsonNode | undefined {
  const lower = name.toLowerCase();
  return entries(node).find(([key]) => key.toLowerCase() === lower)?.[1];
}

/** The elements of an array, or the values of an object (YARP and Ocelot accept both shapes). */
export function elements(node: JsonNode | undefined): JsonNode[] {
  if (node?.type === 'array') return node.children ?? [];
  return entries(node).map(([, value]) => value);
}

/** A scalar as a string (numbers and booleans written out); null for objects, arrays and null. */
export function scalar(node: JsonNode | undefined): string | null {
  if (!node) return null;
  if (node.type === 'string') return node.value as string;
  if (node.type === 'number' || node.type === 'boolean') return String(node.value);
  return null;
}
