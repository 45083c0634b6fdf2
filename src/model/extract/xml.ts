/**
 * A small element tree of an XML document (build manifests: MSBuild projects and props, packages.config),
 * read with saxes: non-validating, linear, no DTD entities expanded. Each element keeps its 1-based line.
 */
import { SaxesParser } from 'saxes';

export interface XmlElement {
  /** Local name as written (a prefix, if any, dropped). */
  name: string;
  attributes: Record<string, string>;
  /** Text directly inside the element (CDATA included), trimmed. */
  text: string;
  children: XmlElement[];
  line: number;
}

export interface XmlDocument {
  root: XmlElement | null;
  /** The first well-formedness error, with its line; what was read before it is kept. */
  error: { message: string; line: number } | null;
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

export function parseXml(text: string): XmlDocument {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let error: XmlDocument['error'] = null;
  let startLine = 1;
  parser.on('opentagstart', () => {
    startLine = parser.line;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: localName(tag.name), attributes: {}, text: '', children: [], line: startLine };
    for (const [key, value] of Object.entries(tag.attributes)) element.attributes[localName(key)] = typeof value === 'string' ? value : value.value;
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root ??= element;
    stack.push(element);
  });
  const addText = (chunk: string): void => {
    const current = stack.at(-1);
    if (current) current.text += chunk;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const done = stack.pop();
    if (done) done.text = done.text.trim();
  });
  parser.on('error', (e) => {
    error ??= { message: e.message, line: parser.line };
  });
  try {
    parser.write(text).close();
  } catch (e) {
    error ??= { message: e instanceof Error ? e.message : String(e), line: parser.line };
  }
  for (const open of stack) open.text = open.text.trim();
  return { root, error };
}

/** Child elements named `name` (case-insensitive, as MSBuild reads them). */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  const lower = name.toLowerCase();
  return element.children.filter((child) => child.name.toLowerCase() === lower);
}

/** Every descendant element named `name` (case-insensitive), in document order. */
export function descendantsNamed(element: XmlElement, name: string): XmlElement[] {
  const lower = name.toLowerCase();
  const out: XmlElement[] = [];
  const stack = [...element.children].reverse();
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next.name.toLowerCase() === lower) out.push(next);
    for (let i = next.children.length - 1; i >= 0; i--) stack.push(next.children[i]!);
  }
  return out;
}

/** An attribute by name, case-insensitive (MSBuild's `Include` / `include`). */
export function attribute(element: XmlElement, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(element.attributes)) if (key.toLowerCase() === lower) return value;
  return undefined;
}
