import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listFiles } from '../../../src/model/extract/files.js';
import { readKubernetes } from '../../../src/model/extract/k8s.js';
import { createReader } from '../../../src/model/read.js';
import type { Diagnostic, KubernetesWorkload } from '../../../src/model/types.js';
import { tmpDir } from '../../helpers/tmp.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/repos/${name}/`, import.meta.url));

function repo(files: Record<string, string>): string {
  const root = tmpDir();
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

function read(root: string, files?: string[]) {
  const reader = createReader(root);
  const result = readKubernetes(reader, files ?? listFiles(root).yaml);
  const diagnostics: Diagnostic[] = reader.diagnostics;
  return { ...result, diagnostics };
}

const workload = (over: Partial<KubernetesWorkload> & Pick<KubernetesWorkload, 'kind' | 'name' | 'file' | 'line'>): KubernetesWorkload => ({
  namespace: null,
  images: [],
  replicas: null,
  probes: { liveness: false, readiness: false, startup: false },
  autoscaler: null,
  exposedBy: [],
  serviceNames: [],
  routedBy: [],
  environment: {},
  ...over,
});

const deployment = (name: string, extra: string[] = [], labels = `{ app: ${name} }`) =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    ...extra.map((l) => `  ${l}`),
    '  template:',
    `    metadata: { labels: ${labels} }`,
    '    spec:',
    `      containers: [{ name: ${name}, image: "example/${name}:1" }]`,
  ].join('\n');

describe('readKubernetes', () => {
  it('reads a Kubernetes-only system: probes, ConfigMap env, Services, Ingress, HTTPRoute, HPA, List, kustomize patch, Helm chart', () => {
    expect(read(fixture('k8s-only'))).toEqual({
      workloads: [
        workload({
          kind: 'Deployment',
          name: 'orders',
          namespace: 'payments',
          file: 'k8s/base/orders.yaml',
          line: 2,
          images: ['ghcr.io/acme/orders:1.2.0', 'envoyproxy/envoy:v1.31.0'],
          replicas: 2,
          probes: { liveness: true, readiness: true, startup: true },
          autoscaler: { min: 2, max: 10, location: { file: 'k8s/base/hpa.yaml', line: 2 } },
          exposedBy: ['ClusterIP'],
          serviceNames: ['orders'],
          routedBy: [
            { file: 'k8s/base/ingress.yaml', line: 9 },
            { file: 'k8s/base/ingress.yaml', line: 19 },
          ],
          environment: {
            PAYMENTS_URL: 'http://payments-lb:80',
            KAFKA_BROKERS: 'kafka:9092',
            LOG_LEVEL: 'debug',
            DATABASE_URL: 'postgres://orders@postgres:5432/orders',
            PAYMENTS_TIMEOUT_MS: '',
            KAFKA_TOPIC: 'kafka:9092',
            POD_IP: '',
          },
        }),
        workload({
          kind: 'Deployment',
          name: 'payments',
          file: 'k8s/base/payments.yaml',
          line: 2,
          images: ['ghcr.io/acme/payments:3.1.4'],
          exposedBy: ['LoadBalancer'],
          serviceNames: ['payments-lb'],
          routedBy: [{ file: 'k8s/base/routes.yaml', line: 10 }],
        }),
        workload({
          kind: 'StatefulSet',
          name: 'postgres',
          file: 'k8s/base/postgres.yaml',
          line: 2,
          images: ['postgres:17.2'],
          replicas: 1,
          probes: { liveness: false, readiness: true, startup: false },
          exposedBy: ['ClusterIP'],
          serviceNames: ['postgres'],
        }),
        workload({
          kind: 'DaemonSet',
          name: 'log-agent',
          namespace: 'observability',
          file: 'k8s/overlays/prod/log-agent.yaml',
          line: 5,
          images: ['fluent/fluent-bit:3.2'],
          probes: { liveness: true, readiness: false, startup: false },
        }),
      ],
      files: [
        'k8s/base/config.yaml',
        'k8s/base/hpa.yaml',
        'k8s/base/ingress.yaml',
        'k8s/base/kustomization.yaml',
        'k8s/base/orders.yaml',
        'k8s/base/payments.yaml',
        'k8s/base/postgres.yaml',
        'k8s/base/routes.yaml',
        'k8s/overlays/prod/kustomization.yaml',
        'k8s/overlays/prod/log-agent.yaml',
        'k8s/overlays/prod/payments-replicas.yaml',
      ],
      diagnostics: [],
    });
  });

  it('reads the Kubernetes manifests of the polyglot system, beside a GitHub workflow', () => {
    expect(read(fixture('polyglot-compose'))).toEqual({
      workloads: [
        workload({
          kind: 'Deployment',
          name: 'catalog',
          file: 'deploy/k8s/apps.yaml',
          line: 3,
          images: ['registry.example.com/shop/catalog:1.8.2'],
          replicas: 3,
          probes: { liveness: false, readiness: true, startup: false },
          exposedBy: ['ClusterIP'],
          serviceNames: ['catalog'],
          environment: { ORDERS_URL: 'http://orders:8080', DATABASE_URL: '' },
        }),
        workload({
          kind: 'Deployment',
          name: 'orders',
          file: 'deploy/k8s/apps.yaml',
          line: 37,
          images: ['registry.example.com/shop/orders:2.0.0'],
          probes: { liveness: true, readiness: true, startup: false },
          exposedBy: ['NodePort'],
          serviceNames: ['orders'],
          environment: { SPRING_DATASOURCE_URL: 'jdbc:postgresql://orders-db:5432/orders' },
        }),
        workload({
          kind: 'Deployment',
          name: 'recommendations',
          file: 'deploy/k8s/apps.yaml',
          line: 68,
          images: ['registry.example.com/shop/recommendations:0.4.1', 'registry.example.com/shop/model-sync:0.1.0'],
          replicas: 1,
        }),
      ],
      files: ['deploy/k8s/apps.yaml'],
      diagnostics: [],
    });
  });

  it('keeps the good documents of a broken file and reports the bad ones; a missing file is nothing (hostile fixture)', () => {
    expect(read(fixture('hostile'), ['k8s/alias-bomb.yaml', 'k8s/broken.yaml', 'k8s/missing.yaml'])).toEqual({
      workloads: [workload({ kind: 'Deployment', name: 'api', file: 'k8s/broken.yaml', line: 2, images: ['example/api:1.0.0'] })],
      files: ['k8s/broken.yaml'],
      diagnostics: [
        { file: 'k8s/alias-bomb.yaml', line: 1, message: 'cannot read YAML: Excessive alias count indicates a resource exhaustion attack' },
        { file: 'k8s/broken.yaml', line: 17, message: 'cannot parse YAML: Flow sequence in block collection must be sufficiently indented and end with a ]' },
      ],
    });
  });

  it('skips templates silently, but not a broken manifest with GitHub expressions; YAML that names no kind is not read', () => {
    const root = repo({
      'ansible/deploy.yaml': 'apiVersion: v1\nkind: {{ kind }\n  bad: [\n',
      'charts/api/templates/notes.yaml': '{{- if .Values.x }}\napiVersion: v1\nkind: [\n',
      'deploy/api.yml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  x: ${{ github.sha }}\n bad: [\n',
      '.github/workflows/ci.yml': 'jobs:\n  x: ${{ github.sha }}\n bad: [\n',
    });
    expect(read(root)).toEqual({
      workloads: [],
      files: [],
      diagnostics: [{ file: 'deploy/api.yml', line: 5, message: 'cannot parse YAML: All mapping items must start at the same column' }],
    });
  });

  it('merges one workload written in several files and matches namespaces', () => {
    const root = repo({
      'envs/dev/orders.yaml': deployment('orders', ['replicas: 1']),
      'envs/prod/orders.yaml': [
        deployment('orders', ['replicas: 3']).replace('name: orders\n', 'name: orders\n  namespace: prod\n').replace('containers: [{ name: orders, image: "example/orders:1" }]', 'containers: [{ name: orders, image: "example/orders:2", livenessProbe: { exec: { command: [true] } } }]'),
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: orders, namespace: prod }',
        'spec: { type: LoadBalancer, selector: { app: orders } }',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: orders-elsewhere, namespace: staging }',
        'spec: { type: NodePort, selector: { app: orders } }',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: orders-manual }',
        'spec: { type: ExternalName }',
      ].join('\n'),
    });
    expect(read(root).workloads).toEqual([
      workload({
        kind: 'Deployment',
        name: 'orders',
        file: 'envs/dev/orders.yaml',
        line: 2,
        images: ['example/orders:1', 'example/orders:2'],
        replicas: 3,
        probes: { liveness: true, readiness: false, startup: false },
        exposedBy: ['LoadBalancer', 'NodePort'],
        serviceNames: ['orders', 'orders-elsewhere'],
      }),
    ]);
  });

  it('applies YAML merge keys', () => {
    const root = repo({
      'merged.yaml': [
        'x-probes: &probes { livenessProbe: { exec: { command: [true] } } }',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: { name: merged }',
        'spec:',
        '  template:',
        '    metadata: { labels: { app: merged } }',
        '    spec:',
        '      containers:',
        '        - <<: *probes',
        '          name: merged',
        '          image: example/merged:1',
      ].join('\n'),
    });
    expect(read(root).workloads).toEqual([
      workload({ kind: 'Deployment', name: 'merged', file: 'merged.yaml', line: 3, images: ['example/merged:1'], probes: { liveness: true, readiness: false, startup: false } }),
    ]);
  });

  it('reads Argo Rollouts, KEDA, Traefik, Istio and Gateway API routes', () => {
    const root = repo({
      'app.yaml': [
        deployment('web').replace('apiVersion: apps/v1\nkind: Deployment', 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout'),
        '---',
        deployment('api', ['replicas: "2"']),
        '---',
        'apiVersion: argoproj.io/v1alpha1',
        'kind: Rollout',
        'metadata: { name: by-ref }',
        'spec: { workloadRef: { apiVersion: apps/v1, kind: Deployment, name: api } }',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: web }',
        'spec: { selector: { app: web } }',
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata: { name: api, namespace: edge }',
        'spec: { selector: { app: api } }',
      ].join('\n'),
      'routing.yaml': [
        'apiVersion: keda.sh/v1alpha1',
        'kind: ScaledObject',
        'metadata: { name: api }',
        'spec: { scaleTargetRef: { name: api }, maxReplicaCount: 20 }',
        '---',
        'apiVersion: traefik.io/v1alpha1',
        'kind: IngressRoute',
        'metadata: { name: web }',
        'spec:',
        '  routes:',
        '    - match: Host(`web.example.com`)',
        '      services:',
        '        - name: web',
        '        - name: web',
        '          kind: TraefikService',
        '---',
        'apiVersion: networking.istio.io/v1',
        'kind: VirtualService',
        'metadata: { name: api }',
        'spec:',
        '  http:',
        '    - route:',
        '        - destination: { host: api.edge.svc.cluster.local }',
        '        - destination: { host: web.example.com }',
        '---',
        'apiVersion: gateway.networking.k8s.io/v1',
        'kind: GRPCRoute',
        'metadata: { name: api, namespace: edge }',
        'spec:',
        '  rules:',
        '    - backendRefs:',
        '        - { name: api, port: 9000 }',
        '        - { name: api, kind: ServiceImport, group: multicluster.x-k8s.io }',
        '---',
        'apiVersion: extensions/v1beta1',
        'kind: Ingress',
        'metadata: { name: legacy }',
        'spec: { backend: { serviceName: web, servicePort: 80 } }',
      ].join('\n'),
    });
    expect(read(root)).toEqual({
      workloads: [
        workload({
          kind: 'Rollout',
          name: 'web',
          file: 'app.yaml',
          line: 2,
          images: ['example/web:1'],
          exposedBy: ['ClusterIP'],
          serviceNames: ['web'],
          routedBy: [
            { file: 'routing.yaml', line: 13 },
            { file: 'routing.yaml', line: 38 },
          ],
        }),
        workload({
          kind: 'Deployment',
          name: 'api',
          file: 'app.yaml',
          line: 12,
          images: ['example/api:1'],
          replicas: 2,
          autoscaler: { min: 0, max: 20, location: { file: 'routing.yaml', line: 2 } },
          exposedBy: ['ClusterIP'],
          serviceNames: ['api'],
          routedBy: [
            { file: 'routing.yaml', line: 23 },
            { file: 'routing.yaml', line: 32 },
          ],
        }),
      ],
      files: ['app.yaml', 'routing.yaml'],
      diagnostics: [],
    });
  });
});
