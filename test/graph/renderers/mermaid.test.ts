import { describe, expect, it } from 'vitest';
import mermaid, { label } from '../../../src/graph/renderers/mermaid.js';
import { OPTION_SETS, model, shuffled } from './__fixtures__/model.js';

const all = { databases: true, channels: true };
const plain = { databases: false, channels: false };

const ID = '[A-Za-z0-9_]+';
const LABEL = '"[^"\\n]*"';
const LINE = [
  new RegExp(`^  ${ID}(\\[${LABEL}\\]|\\{\\{${LABEL}\\}\\}|\\[\\(${LABEL}\\)\\]|\\[/${LABEL}/\\])$`),
  new RegExp(`^  ${ID} (-->|-\\.->|---|==>|--o)(\\|${LABEL}\\|)? ${ID}$`),
  /^ {2}classDef \w+ [\w:#,-]+$/,
  new RegExp(`^  class ${ID}(,${ID})* \\w+$`),
];

describe('mermaid renderer', () => {
  it.for(OPTION_SETS)('$name', async ({ name, options }) => {
    const out = mermaid(model(), options);
    await expect(out).toMatchFileSnapshot(`__snapshots__/mermaid/${name}.mmd`);
    expect(mermaid(shuffled(), options)).toBe(out);
  });

  it.for(OPTION_SETS)('$name: every line is a well-formed flowchart statement', ({ options }) => {
    const [header, ...lines] = mermaid(model(), options).trimEnd().split('\n');
    expect(header).toBe('flowchart LR');
    for (const line of lines) expect(LINE.some((re) => re.test(line)), line).toBe(true);
  });

  it('gives every node a unique, sanitised id', () => {
    const defs = mermaid(model(), all).split('\n').filter((l) => LINE[0]!.test(l)).map((l) => /^ {2}(\w+)/.exec(l)![1]!);
    expect(new Set(defs).size).toBe(defs.length);
    expect(defs).toContain('svc_a_b');
    expect(defs).toContain('svc_a_b_2');
    expect(defs).toContain('svc_we_ird_svc_b_quot_end');
  });

  it('draws the gateway as a hexagon, its routes as thick arrows, databases as cylinders, shared ones marked', () => {
    const out = mermaid(model(), all);
    expect(out).toContain('  svc_api_gateway ==> svc_orders\n');
    expect(out).toContain('  svc_api_gateway ==> svc_shipping\n');
    // A saga's steps, numbered, from its orchestrator (itself the first step).
    expect(out).toContain('  svc_orders --o|"place-order 1"| svc_orders\n');
    expect(out).toContain('  svc_orders --o|"place-order 3"| svc_shipping\n');
    expect(out).toContain('  svc_api_gateway{{"api-gateway"}}\n');
    const other = { ...model(), gateway: 'orders', services: model().services.map((s) => ({ ...s, isGateway: s.name === 'orders' })) };
    expect(mermaid(other, all)).toContain('  svc_orders{{"orders (gateway)"}}\n');
    expect(out).toContain('  db_shop_db_shop[("shop-db/shop (postgres)")]\n');
    expect(out).toContain('  svc_orders --- db_shop_db_shop\n');
    expect(out).toContain('  svc_payments --- db_shop_db_shop\n');
    expect(out).toContain('  class svc_api_gateway gateway\n');
    expect(out).toContain('  class db_shop_db_shop shared\n');
  });

  it('draws sync calls solid, labelled with the call count above one, cycles included', () => {
    const out = mermaid(model(), plain);
    expect(out).toContain('  svc_orders -->|"3 calls"| svc_payments\n');
    expect(out).toContain('  svc_payments --> svc_orders\n');
    expect(out).not.toContain('db_');
  });

  it('draws channels as nodes between producer and consumers, or as labelled dashed edges', () => {
    const withChannels = mermaid(model(), all);
    expect(withChannels).toContain('  ch_order_created[/"order-created (kafka)"/]\n');
    expect(withChannels).toContain('  svc_orders -.-> ch_order_created\n');
    expect(withChannels).toContain('  ch_order_created -.-> svc_payments\n');
    expect(withChannels).toContain('  ch_order_created -.-> svc_shipping\n');
    expect(withChannels).not.toMatch(/svc_\w+ -\.->\|/);
    const without = mermaid(model(), plain);
    expect(without).not.toContain('ch_');
    expect(without).toContain('  svc_orders -.->|"order-created"| svc_payments\n');
    expect(without).toContain('|"a-first, evt#quot;x#124;y#96;z#96;, z-last"|');
  });

  it('escapes labels', () => {
    expect(label('a "b" #quot; <i>|`c`\nd & e')).toBe('"a #quot;b#quot; #35;quot; #lt;i#gt;#124;#96;c#96; d #amp; e"');
  });

  it('renders an empty model', () => {
    expect(mermaid({ ...model(), services: [], databases: [], channels: [], edges: [], sagas: [], gateway: null }, all)).toBe('flowchart LR\n  %% no services found\n');
  });
});
