import { describe, expect, it } from 'vitest';
import dot, { quote } from '../../../src/graph/renderers/dot.js';
import { OPTION_SETS, model, shuffled } from './__fixtures__/model.js';

const all = { databases: true, channels: true };
const plain = { databases: false, channels: false };

/** A DOT quoted string: no raw line break, every `"` inside escaped. */
const QUOTED = /"(?:[^"\\\n]|\\.)*"/g;
const ATTRS = '\\[\\w+=Q(, \\w+=(Q|[\\w.]+))*\\]|\\[\\w+=[\\w.]+(, \\w+=(Q|[\\w.]+))*\\]';
const LINE = [/^digraph architecture \{$/, /^ {2}rankdir=LR;$/, /^ {2}(node|edge) \[fontname=Q\];$/, new RegExp(`^  Q (${ATTRS});$`), new RegExp(`^  Q -> Q( (${ATTRS}))?;$`), /^\}$/];

describe('dot renderer', () => {
  it.for(OPTION_SETS)('$name', async ({ name, options }) => {
    const out = dot(model(), options);
    await expect(out).toMatchFileSnapshot(`__snapshots__/dot/${name}.dot`);
    expect(dot(shuffled(), options)).toBe(out);
  });

  it.for(OPTION_SETS)('$name: every line is a well-formed statement once quoted strings are set aside', ({ options }) => {
    for (const line of dot(model(), options).trimEnd().split('\n')) {
      const bare = line.replace(QUOTED, 'Q');
      expect(bare, line).not.toContain('"');
      expect(LINE.some((re) => re.test(bare)), line).toBe(true);
    }
  });

  it('uses shapes per kind and dashes for async edges', () => {
    const out = dot(model(), all);
    expect(out).toContain('  "service:api-gateway" [label="api-gateway", shape=hexagon, style=filled, fillcolor="#fff3bf"];');
    expect(out).toContain('  "service:orders" [label="orders", shape=box];');
    expect(out).toContain('  "database:postgres://shop-db/shop" [label="shop-db/shop (postgres)", shape=cylinder, color="#c92a2a", penwidth=2];');
    expect(out).toContain('  "database:mongodb://shipping-db/shipping" [label="shipping-db/shipping (mongodb)", shape=cylinder];');
    expect(out).toContain('  "channel:kafka:order-created" [label="order-created (kafka)", shape=parallelogram];');
    expect(out).toContain('  "service:orders" -> "channel:kafka:order-created" [style=dashed];');
    expect(out).toContain('  "service:orders" -> "service:payments" [label="3 calls"];');
    expect(out).toContain('  "service:payments" -> "service:orders";');
    expect(out).toContain('  "service:orders" -> "database:postgres://shop-db/shop" [arrowhead=none];');
    expect(dot(model(), plain)).toContain('  "service:orders" -> "service:shipping" [style=dashed, label="order-created"];');
  });

  it('escapes quotes, backslashes and line breaks', () => {
    expect(quote('a "b" \\c\nd\r\ne\u0007')).toBe('"a \\"b\\" \\\\c\\nd\\ne"');
    expect(dot(model(), all)).toContain('"service:we\\"ird\\\\svc|<b>#quot; &\\nend"');
  });

  it('renders an empty model', () => {
    expect(dot({ ...model(), services: [], databases: [], channels: [], edges: [], sagas: [], gateway: null }, all)).toBe(
      'digraph architecture {\n  rankdir=LR;\n  node [fontname="Helvetica"];\n  edge [fontname="Helvetica"];\n}\n',
    );
  });
});
