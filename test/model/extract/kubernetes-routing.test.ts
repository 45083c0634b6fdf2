import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/kubernetes-routing.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);
const table = async (path: string, text: string) =>
  (await run(path, text))?.gateways?.map((g) => [g.implementation, g.location.line, g.routes.map((r) => [r.host, r.path, r.upstream, r.breaker, r.location.line])]);

describe('kubernetes-routing', () => {
  it('Ingress: v1 service backends with port numbers or names, the old serviceName/servicePort, a default backend', async () => {
    const text = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: edge, namespace: shop }
spec:
  defaultBackend:
    service: { name: web, port: { name: http } }
  rules:
  - host: api.example.com
    http:
      paths:
      - path: /orders
        pathType: Prefix
        backend:
          service: { name: orders, port: { number: 8080 } }
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: { name: old }
spec:
  rules:
  - http:
      paths:
      - backend: { serviceName: catalog, servicePort: 80 }
`;
    expect(await table('k8s/ingress.yaml', text)).toEqual([
      [
        'ingress',
        2,
        [
          [null, null, 'http://web.shop', false, 5],
          ['api.example.com', '/orders', 'http://orders.shop:8080', false, 11],
        ],
      ],
      ['ingress', 17, [[null, '/', 'http://catalog:80', false, 23]]],
    ]);
  });

  it('Gateway API: HTTPRoute and GRPCRoute backendRefs to Services (other kinds of backend are not Services)', async () => {
    const text = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: store }
spec:
  parentRefs: [ { name: gw } ]
  hostnames: [ store.example.com ]
  rules:
  - matches: [ { path: { type: PathPrefix, value: /cart } } ]
    backendRefs: [ { name: cart, port: 8080 }, { name: bucket, kind: S3Bucket, group: example.com } ]
  - backendRefs: [ { name: web, namespace: front, port: 80 } ]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: rpc }
spec:
  rules:
  - backendRefs: [ { name: inventory, port: 9090 } ]
`;
    expect(await table('routes.yaml', text)).toEqual([
      [
        'gateway-api',
        2,
        [
          ['store.example.com', '/cart', 'http://cart:8080', false, 9],
          ['store.example.com', '/', 'http://web.front:80', false, 10],
        ],
      ],
      ['gateway-api', 13, [[null, null, 'grpc://inventory:9090', false, 17]]],
    ]);
  });

  it('Istio: a VirtualService bound to a Gateway routes; a DestinationRule with outlierDetection protects its host', async () => {
    const text = `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: edge }
spec:
  hosts: [ "shop.example.com" ]
  gateways: [ shop-gateway ]
  http:
  - match: [ { uri: { prefix: /reviews } } ]
    route:
    - destination: { host: reviews.prod.svc.cluster.local, port: { number: 9080 } }
  - route:
    - destination: { host: ratings }
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: { name: reviews }
spec:
  host: reviews.prod.svc.cluster.local
  trafficPolicy:
    outlierDetection: { consecutive5xxErrors: 5, interval: 10s }
`;
    const facts = await run('istio/edge.yaml', text);
    expect(await table('istio/edge.yaml', text)).toEqual([
      [
        'istio',
        2,
        [
          ['shop.example.com', '/reviews', 'http://reviews.prod.svc.cluster.local:9080', true, 10],
          ['shop.example.com', '/', 'http://ratings', false, 12],
        ],
      ],
    ]);
    expect(facts?.breakers).toEqual([
      {
        what: 'Istio DestinationRule reviews: outlierDetection for reviews.prod.svc.cluster.local',
        location: { file: 'istio/edge.yaml', line: 20 },
        destination: 'reviews.prod.svc.cluster.local',
      },
    ]);
  });

  it('Istio: connection pool limits of a subset are circuit breaking; a mesh-only VirtualService (canary weights) is no gateway; retries are no breaker', async () => {
    const limits = `apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: { name: payments }
spec:
  host: payments
  subsets:
  - name: v1
    trafficPolicy:
      connectionPool: { http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } }
`;
    expect((await run('dr.yaml', limits))?.breakers?.map((b) => [b.destination, b.location.line])).toEqual([['payments', 9]]);
    const meshOnly = `apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: payments }
spec:
  hosts: [ payments ]
  http:
  - retries: { attempts: 3, perTryTimeout: 2s }
    route:
    - { destination: { host: payments, subset: v1 }, weight: 90 }
    - { destination: { host: payments, subset: v2 }, weight: 10 }
---
apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: { name: payments }
spec:
  host: payments
  trafficPolicy: { loadBalancer: { simple: ROUND_ROBIN } }
  subsets: [ { name: v1, labels: { version: v1 } } ]
`;
    expect(await run('vs.yaml', meshOnly)).toBeNull();
    expect(await run('vs.yaml', meshOnly.replace('  hosts: [ payments ]\n', '  hosts: [ payments ]\n  gateways: [ mesh ]\n'))).toBeNull();
  });

  it('Traefik IngressRoute: match rules to Services; a circuitBreaker Middleware of the file protects the routes that use it', async () => {
    const text = `apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: { name: cb }
spec:
  circuitBreaker: { expression: "NetworkErrorRatio() > 0.30" }
---
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata: { name: web }
spec:
  routes:
  - match: Host(\`shop.example.com\`) && PathPrefix(\`/api\`, \`/v2\`)
    middlewares: [ { name: cb } ]
    services: [ { name: api, port: 8080 } ]
  - match: Host(\`shop.example.com\`)
    middlewares: [ { name: retry } ]
    services: [ { name: web, port: 80 }, { name: other, kind: TraefikService } ]
`;
    const facts = await run('traefik/routes.yaml', text);
    expect(facts?.gateways?.[0]?.routes.map((r) => [r.host, r.path, r.upstream, r.breaker])).toEqual([
      ['shop.example.com', '/api', 'http://api:8080', true],
      ['shop.example.com', '/v2', 'http://api:8080', true],
      ['shop.example.com', null, 'http://web:80', false],
    ]);
    expect(facts?.breakers?.map((b) => [b.what, b.location.line])).toEqual([['Traefik Middleware cb: circuitBreaker', 5]]);
  });

  it('Contour HTTPProxy and Ambassador Mapping (its circuit_breakers are a breaker); kind List items are read', async () => {
    const text = `apiVersion: v1
kind: List
items:
- apiVersion: projectcontour.io/v1
  kind: HTTPProxy
  metadata: { name: root }
  spec:
    virtualhost: { fqdn: www.example.com }
    routes:
    - conditions: [ { prefix: /blog } ]
      services: [ { name: blog, port: 80 } ]
- apiVersion: getambassador.io/v3alpha1
  kind: Mapping
  metadata: { name: quote }
  spec:
    prefix: /quote/
    service: quote:5000
    circuit_breakers: [ { max_connections: 2048 } ]
`;
    expect(await table('list.yaml', text)).toEqual([
      ['contour', 5, [['www.example.com', '/blog', 'http://blog:80', false, 11]]],
      ['ambassador', 13, [[null, '/quote/', 'http://quote:5000', true, 17]]],
    ]);
  });

  it('nginx and Envoy configuration carried by a ConfigMap is read, with the manifest\'s lines', async () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: { name: edge-config }
data:
  nginx.conf: |
    server {
      location /api/ { proxy_pass http://api:8080; }
    }
  envoy.yaml: |
    static_resources:
      clusters:
      - name: web
        outlier_detection: { consecutive_5xx: 3 }
        load_assignment: { endpoints: [ { lb_endpoints: [ { endpoint: { address: { socket_address: { address: web, port_value: 80 } } } } ] } ] }
  index.html: "<p>proxy_pass</p>"
`;
    const facts = await run('k8s/edge.yaml', text);
    expect(facts?.gateways?.map((g) => [g.implementation, g.location.line, g.routes.map((r) => [r.path, r.upstream, r.location.line])])).toEqual([
      ['nginx', 6, [['/api/', 'http://api:8080', 7]]],
      ['envoy', 10, []],
    ]);
    expect(facts?.breakers?.map((b) => [b.what, b.location.line])).toEqual([['Envoy cluster web: outlier_detection', 13]]);
  });

  it('a Linkerd ServiceProfile (retries), other manifests, Helm templates and unparseable files say nothing', async () => {
    const profile = `apiVersion: linkerd.io/v1alpha2
kind: ServiceProfile
metadata: { name: orders.default.svc.cluster.local }
spec:
  routes:
  - name: GET /orders
    condition: { method: GET, pathRegex: /orders }
    isRetryable: true
`;
    expect(await run('sp.yaml', profile)).toBeNull();
    expect(await run('deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: Route }\n')).toBeNull();
    expect(await run('policy.yaml', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nspec:\n  policyTypes: [Ingress]\n')).toBeNull();
    expect(await run('chart/templates/ingress.yaml', 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {{ .Release.Name }}\n')).toBeNull();
    expect(await run('broken.yaml', 'kind: Ingress\n  bad: [\n')).toBeNull();
  });
});
