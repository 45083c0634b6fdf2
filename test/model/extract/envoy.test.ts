import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/envoy.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);
const routes = async (path: string, text: string) => (await run(path, text))?.gateways?.[0]?.routes.map((r) => [r.host, r.path, r.upstream, r.breaker, r.location.line]);

const v3 = (clusterExtra: string) => `static_resources:
  listeners:
  - address:
      socket_address: { address: 0.0.0.0, port_value: 8080 }
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          route_config:
            virtual_hosts:
            - name: backend
              domains: ["*"]
              routes:
              - match: { prefix: "/o/" }
                route: { cluster: ordering, prefix_rewrite: "/api/" }
              - match: { safe_regex: { regex: "^/c/.*" } }
                route: { cluster: catalog }
  clusters:
  - name: ordering
    type: STRICT_DNS
${clusterExtra}    load_assignment:
      cluster_name: ordering
      endpoints:
      - lb_endpoints:
        - endpoint:
            address:
              socket_address: { address: ordering-api, port_value: 80 }
`;

describe('envoy', () => {
  it('v3: routes of an inline route_config go to the endpoints of their cluster; an undefined cluster keeps its name', async () => {
    const facts = await run('gateway/envoy.yaml', v3(''));
    expect(facts?.gateways?.[0]).toMatchObject({ implementation: 'envoy', runsIn: null, location: { file: 'gateway/envoy.yaml', line: 1 } });
    expect(await routes('gateway/envoy.yaml', v3(''))).toEqual([
      [null, '/o/', 'ordering-api:80', false, 15],
      [null, '^/c/.*', 'catalog', false, 17],
    ]);
    expect(facts?.breakers).toBeUndefined();
  });

  it('explicit circuit_breakers thresholds or outlier_detection on a cluster are breakers; an empty circuit_breakers block is not', async () => {
    const thresholds = '    circuit_breakers:\n      thresholds:\n      - max_connections: 100\n        max_pending_requests: 10\n';
    const facts = await run('envoy.yaml', v3(thresholds));
    expect(facts?.gateways?.[0]?.routes.map((r) => r.breaker)).toEqual([true, false]);
    expect(facts?.breakers).toEqual([{ what: 'Envoy cluster ordering: circuit_breakers', location: { file: 'envoy.yaml', line: 22 } }]);
    expect((await run('envoy.yaml', v3('    outlier_detection:\n      consecutive_5xx: 5\n')))?.breakers?.map((b) => b.what)).toEqual(['Envoy cluster ordering: outlier_detection']);
    expect((await run('envoy.yaml', v3('    circuit_breakers: {}\n')))?.gateways?.[0]?.routes.map((r) => r.breaker)).toEqual([false, false]);
    // A threshold entry that sets no limit keeps Envoy's defaults.
    expect((await run('envoy.yaml', v3('    circuit_breakers: { thresholds: [ { priority: HIGH } ] }\n')))?.breakers).toBeUndefined();
  });

  it('v2: `config`, `hosts` socket addresses, virtual host domains, and a TCP proxy', async () => {
    const text = `static_resources:
  listeners:
  - filter_chains:
    - filters:
      - name: envoy.http_connection_manager
        config:
          route_config:
            virtual_hosts:
            - domains: ["api.example.com"]
              routes:
              - match: { path: "/basket" }
                route: { weighted_clusters: { clusters: [ { name: basket, weight: 100 } ] } }
  - filter_chains:
    - filters:
      - name: envoy.tcp_proxy
        config: { stat_prefix: db, cluster: db }
  clusters:
  - name: basket
    hosts: [ { socket_address: { address: basket-api, port_value: 5000 } } ]
`;
    expect(await routes('envoy/front.yaml', text)).toEqual([
      ['api.example.com', '/basket', 'basket-api:5000', false, 11],
      [null, null, 'db', false, 16],
    ]);
  });

  it('reads JSON bootstraps and xDS resource files', async () => {
    const json = JSON.stringify({ static_resources: { clusters: [{ name: 'x', load_assignment: { endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'x', port_value: 1 } } } }] }] } }] } }, null, 2);
    expect((await run('envoy.json', json))?.gateways?.[0]).toMatchObject({ implementation: 'envoy', routes: [] });
    const rds = `resources:
- "@type": type.googleapis.com/envoy.config.route.v3.RouteConfiguration
  name: local
  virtual_hosts:
  - domains: ["*"]
    routes:
    - match: { prefix: "/" }
      route: { cluster: web }
`;
    expect(await routes('xds/rds.yaml', rds)).toEqual([[null, '/', 'web', false, 7]]);
  });

  it('other YAML, Helm templates and unparseable text say nothing', async () => {
    expect(await run('values.yaml', 'static_resources: enabled\n')).toBeNull();
    expect(await run('templates/envoy.yaml', 'static_resources:\n  clusters:\n  - name: {{ .Values.name }}\n')).toBeNull();
    expect(await run('k8s/deploy.yaml', 'kind: Deployment\n')).toBeNull();
    expect(await run('envoy.yaml', 'static_resources:\n  clusters: [\n')).toBeNull();
  });

  it('an alias bomb is a diagnostic, not a hang', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    const facts = await run('envoy.yaml', `${bomb}\n---\nstatic_resources:\n  clusters: []\n`);
    expect(facts?.gateways?.[0]?.routes).toEqual([]);
    expect(facts?.diagnostics?.[0]?.message).toMatch(/^cannot read YAML: /);
  });
});
