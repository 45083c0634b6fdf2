import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/apisix.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);

describe('apisix', () => {
  it('routes go to inline upstream nodes, an upstream by id, or their service\'s upstream; api-breaker is a breaker', async () => {
    const text = `upstreams:
  - id: 1
    nodes: { "catalog:5000": 1 }
services:
  - id: s1
    upstream: { type: roundrobin, nodes: [ { host: cart, port: 8080, weight: 1 } ] }
routes:
  - uri: /orders/*
    host: api.example.com
    upstream: { nodes: { "orders:8080": 1 }, type: roundrobin }
    plugins:
      api-breaker: { break_response_code: 502, unhealthy: { failures: 3 } }
  - uris: [ /catalog/*, /c/* ]
    upstream_id: 1
  - uri: /cart/*
    service_id: s1
    plugins: { limit-count: { count: 2, time_window: 60 } }
#END
`;
    const facts = await run('apisix.yaml', text);
    expect(facts?.gateways?.[0]).toMatchObject({ implementation: 'apisix', runsIn: null, location: { file: 'apisix.yaml', line: 7 } });
    expect(facts?.gateways?.[0]?.routes.map((r) => [r.host, r.path, r.upstream, r.breaker, r.location.line])).toEqual([
      ['api.example.com', '/orders/*', 'http://orders:8080', true, 8],
      [null, '/catalog/*', 'http://catalog:5000', false, 13],
      [null, '/c/*', 'http://catalog:5000', false, 13],
      [null, '/cart/*', 'http://cart:8080', false, 15],
    ]);
    expect(facts?.breakers?.map((b) => [b.what, b.location.line])).toEqual([['APISIX route 0: api-breaker', 8]]);
  });

  it('reads the standalone file under its other names', async () => {
    const text = 'routes:\n  - uri: /get\n    upstream: { nodes: { "web1:80": 1 }, type: roundrobin }\n#END\n';
    expect((await run('example/apisix_conf/apisix-standalone.yaml', text))?.gateways?.[0]?.routes.map((r) => [r.path, r.upstream])).toEqual([['/get', 'http://web1:80']]);
  });

  it('other file names, and files without routes, say nothing', async () => {
    expect(await run('conf/config.yaml', 'routes:\n  - uri: /x\n    upstream: { nodes: { "x:1": 1 } }\n')).toBeNull();
    expect(await run('apisix.yaml', 'upstreams: []\n#END\n')).toBeNull();
  });
});
