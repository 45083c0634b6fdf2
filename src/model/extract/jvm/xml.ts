/** A small element tree over saxes (a conforming, streaming XML parser), with the line of each element. */
import { SaxesParser } from 'saxes';

export interface XmlElement {
  /** Local name (namespace prefix dropped). */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside, trimmed. */
  text: string;
  /** 1-based line of the start tag. */
  line: number;
}

/** The document's root element, or the first well-formedness error (one line). */
export function parseXml(text: string): { root: XmlElement | null; error: string | null } {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let error: string | null = null;
  let startLine = 1;
  parser.on('error', (e) => {
    error ??= e.message.split('\n')[0] ?? 'malformed XML';
  });
  parser.on('opentagstart', () => {
    startLine = parser.line;
  });
  parser.on('opentag', (tag) => {
    const colon = tag.name.indexOf(':');
    const element: XmlElement = {
      name: colon === -1 ? tag.name : tag.name.slice(colon + 1),
      attributes: { ...(tag.attributes as Record<string, string>) },
      children: [],
      text: '',
      line: startLine,
    };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root ??= element;
    stack.push(element); // saxes reports a self-closing tag as open + close
  });
  parser.on('text', (chunk) => {
    const current = stack.at(-1);
    if (current) current.text += chunk;
  });
  parser.on('cdata', (chunk) => {
    const current = stack.at(-1);
    if (current) current.text += chunk;
  });
  parser.on('closetag', () => {
    const element = stack.pop();
    if (element) element.text = element.text.trim();
  });
  try {
    parser.write(text).close();
  } catch (e) {
    error ??= e instanceof Error ? e.message : String(e);
  }
  return { root, error };
}

/** The first child element with this name. */
export const child = (element: XmlElement | null | undefined, name: string): XmlElement | null =>
  element?.children.find((c) => c.name === name) ?? null;

/** All child elements with this name. */
export const children = (element: XmlElement | null | undefined, name: string): XmlElement[] =>
  element?.children.filter((c) => c.name === name) ?? [];

/** The text of the element at a path of child names, or null. */
export function textAt(element: XmlElement | null | undefined, ...path: string[]): string | null {
  let current: XmlElement | null = element ?? null;
  for (const name of path) current = child(current, name);
  return current ? current.text : null;
}
