import rule from '../../../src/check/rules/health-checks.js';
import { ruleTester, yaml } from '../../helpers/rule-tester.js';

const deployment = (probes: string[]) =>
  yaml([
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: billing }',
    'spec:',
    '  replicas: 2',
    '  selector: { matchLabels: { app: billing } }',
    '  template:',
    '    metadata: { labels: { app: billing } }',
    '    spec:',
    '      containers:',
    '        - name: billing',
    '          image: acme/billing-go:1.4.0',
    ...probes.map((p) => `          ${p}: { httpGet: { path: /healthz, port: 8080 } }`),
  ]);

ruleTester(rule, {
  valid: [
    {
      name: 'compose healthcheck',
      files: { 'compose.yaml': yaml(['services:', '  billing:', '    image: acme/billing-go:1.4.0', '    healthcheck:', '      test: ["CMD", "/healthcheck"]']) },
    },
    {
      name: 'no compose healthcheck, but the image declares one',
      files: {
        'compose.yaml': yaml(['services:', '  billing:', '    build: ./billing']),
        'billing/Dockerfile': 'FROM golang:1.23 AS build\nFROM gcr.io/distroless/static\nHEALTHCHECK CMD ["/app", "health"]\nUSER 65532\n',
      },
    },
    { name: 'liveness and readiness probes', files: { 'k8s/billing.yaml': deployment(['livenessProbe', 'readinessProbe']) } },
    {
      // Compose for development beside the Kubernetes deployment that probes the service in production.
      name: 'a compose service without a healthcheck that Kubernetes probes',
      files: {
        'compose.yaml': yaml(['services:', '  billing:', '    image: acme/billing-go:1.4.0']),
        'k8s/billing.yaml': deployment(['livenessProbe', 'readinessProbe']),
      },
    },
  ],
  invalid: [
    {
      name: 'compose service without a healthcheck',
      files: { 'compose.yaml': yaml(['services:', '  billing:', '    image: acme/billing-go:1.4.0', '    healthcheck:', '      disable: true']) },
      errors: [{ messageId: 'noComposeHealthcheck', service: 'billing', data: { service: 'billing', file: 'compose.yaml' }, file: 'compose.yaml', line: 2 }],
    },
    {
      name: 'a compose service without a healthcheck beside a Deployment with no probe',
      files: { 'compose.yaml': yaml(['services:', '  billing:', '    image: acme/billing-go:1.4.0']), 'k8s/billing.yaml': deployment([]) },
      errors: [
        { messageId: 'noComposeHealthcheck', service: 'billing', data: { service: 'billing', file: 'compose.yaml' }, file: 'compose.yaml', line: 2 },
        { messageId: 'noProbes', service: 'billing', data: { service: 'billing', kind: 'Deployment', name: 'billing', missing: 'liveness or readiness' }, file: 'k8s/billing.yaml' },
      ],
    },
    {
      name: 'a Deployment with only a liveness probe',
      files: { 'k8s/billing.yaml': deployment(['livenessProbe']) },
      errors: [{ messageId: 'noProbes', service: 'billing', data: { service: 'billing', kind: 'Deployment', name: 'billing', missing: 'readiness' }, file: 'k8s/billing.yaml' }],
    },
    {
      name: 'a TypeScript service with no health route',
      files: {
        'orders/package.json': JSON.stringify({ name: 'orders', dependencies: { fastify: '5.0.0' } }),
        'orders/src/main.ts': "import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/orders', async () => []);\nawait app.listen({ port: 3000 });\n",
      },
      errors: [{ messageId: 'noHealth', service: 'orders', data: { service: 'orders' }, file: 'orders/package.json' }],
    },
    {
      name: 'a TypeScript service whose compose healthcheck probes no health route of its own',
      files: {
        'orders/package.json': JSON.stringify({ name: 'orders', dependencies: { fastify: '5.0.0' } }),
        'orders/src/main.ts': "import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/orders', async () => []);\nawait app.listen({ port: 3000 });\n",
        'compose.yaml': yaml(['services:', '  orders:', '    build: ./orders', '    healthcheck:', '      test: ["CMD", "true"]']),
      },
      errors: [{ messageId: 'noEndpoint', service: 'orders', data: { service: 'orders' }, file: 'orders/package.json' }],
    },
  ],
});
