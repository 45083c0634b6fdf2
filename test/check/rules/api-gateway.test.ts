import rule from '../../../src/check/rules/api-gateway.js';
import { describe, expect, it } from 'vitest';
import { runRule, ruleTester, yaml } from '../../helpers/rule-tester.js';

const ordersOnKubernetes = (type: 'ClusterIP' | 'NodePort') =>
  yaml([
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: { name: orders }',
    'spec:',
    '  selector: { matchLabels: { app: orders } }',
    '  template:',
    '    metadata: { labels: { app: orders } }',
    '    spec:',
    '      containers: [{ name: orders, image: "acme/orders:1.0.0" }]',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: { name: orders }',
    `spec: { type: ${type}, selector: { app: orders }, ports: [{ port: 3000 }] }`,
  ]);

ruleTester(rule, {
  valid: [
    {
      name: 'a gateway publishes, the services only expose',
      files: {
        'compose.yaml': yaml([
          'services:',
          '  gateway:',
          '    image: acme/gateway:1.0.0',
          "    ports: ['8080:8080']",
          '  orders:',
          '    image: acme/orders:1.0.0',
          "    expose: ['3000']",
          '  payments:',
          '    image: acme/payments:1.0.0',
        ]),
      },
    },
    {
      name: 'two services that nobody outside can reach yet',
      files: { 'compose.yaml': yaml(['services:', '  orders:', '    image: acme/orders:1.0.0', "    expose: ['3000']", '  payments:', '    image: acme/payments:1.0.0']) },
    },
    { name: 'a single service needs no gateway', files: { 'compose.yaml': yaml(['services:', '  api:', '    image: acme/api:1.0.0', "    ports: ['80:80']"]) } },
    {
      // The development compose file publishes a port; Kubernetes, where it runs, reaches it only inside the cluster.
      name: 'a port of a development compose file beside a Kubernetes deployment that does not publish the service',
      files: {
        'compose.yaml': yaml(['services:', '  gateway:', '    image: acme/gateway:1.0.0', "    ports: ['8080:8080']", '  orders:', '    image: acme/orders:1.0.0', "    ports: ['3000:3000']", '  payments:', '    image: acme/payments:1.0.0']),
        'k8s/orders.yaml': ordersOnKubernetes('ClusterIP'),
      },
    },
  ],
  invalid: [
    {
      name: 'a port of a compose file beside a Kubernetes deployment that publishes the service too',
      files: {
        'compose.yaml': yaml(['services:', '  gateway:', '    image: acme/gateway:1.0.0', "    ports: ['8080:8080']", '  orders:', '    image: acme/orders:1.0.0', "    ports: ['3000:3000']", '  payments:', '    image: acme/payments:1.0.0']),
        'k8s/orders.yaml': ordersOnKubernetes('NodePort'),
      },
      errors: [
        { messageId: 'publishedCompose', service: 'orders', data: { service: 'orders', ports: '3000:3000' }, file: 'compose.yaml', line: 5 },
        { messageId: 'publishedKubernetes', service: 'orders', data: { service: 'orders', types: 'NodePort' }, file: 'compose.yaml', line: 5 },
      ],
    },
    {
      name: 'no gateway in front of two services, one published',
      files: {
        'compose.yaml': yaml(['services:', '  orders:', '    image: acme/orders:1.0.0', "    ports: ['3000:3000']", '  payments:', '    image: acme/payments:1.0.0']),
      },
      errors: [
        { messageId: 'publishedCompose', service: 'orders', data: { service: 'orders', ports: '3000:3000' }, file: 'compose.yaml', line: 2 },
        { messageId: 'noGateway', data: { count: 2, published: 'orders' } },
      ],
    },
    {
      name: 'a Kubernetes LoadBalancer in front of a service behind a gateway',
      files: {
        'k8s/orders.yaml': yaml([
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: { name: orders }',
          'spec:',
          '  selector: { matchLabels: { app: orders } }',
          '  template:',
          '    metadata: { labels: { app: orders } }',
          '    spec:',
          '      containers:',
          '        - name: orders',
          '          image: acme/orders:1.0.0',
          '---',
          'apiVersion: v1',
          'kind: Service',
          'metadata: { name: orders }',
          'spec:',
          '  type: LoadBalancer',
          '  selector: { app: orders }',
          '  ports: [{ port: 80 }]',
        ]),
        'compose.yaml': yaml(['services:', '  api-gateway:', '    image: kong:3.9.0']),
      },
      errors: [{ messageId: 'publishedKubernetes', service: 'orders', data: { service: 'orders', types: 'LoadBalancer' }, file: 'k8s/orders.yaml' }],
    },
  ],
});

describe('api-gateway assessment', () => {
  it.for([
    ['gateway', 'the gateway fronts 2 services'],
    ['edge', 'gateway edge fronts 2 services'],
  ] as const)('names a gateway called %j once: %j', async ([name, evidence]) => {
    const { model } = await runRule(rule, {
      'compose.yaml': yaml(['services:', `  ${name}:`, '    image: acme/gateway:1.0.0', "    ports: ['8080:8080']", '  orders:', '    image: acme/orders:1.0.0', '  payments:', '    image: acme/payments:1.0.0']),
      'arch.config.json': JSON.stringify({ gateway: name }),
    });
    expect(rule.assess?.(model, rule.defaultOptions, [])).toEqual({ status: 'pass', evidence });
  });
});
