import rule from '../../../src/check/rules/horizontal-scaling.js';
import { ruleTester, yaml } from '../../helpers/rule-tester.js';

/** A development compose file and a Helm chart that deploys the same service with `replicaCount`. */
const composeAndChart = (replicas: number) => ({
  'compose.yaml': yaml(['services:', '  api:', '    image: acme/api:1.0.0']),
  'deploy/api/Chart.yaml': yaml(['apiVersion: v2', 'name: api', 'version: 1.0.0']),
  'deploy/api/values.yaml': yaml([`replicaCount: ${replicas}`, 'image:', '  repository: acme/api', '  tag: "1.0.0"']),
  'deploy/api/templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Chart.Name }}',
    'spec:',
    '  replicas: {{ .Values.replicaCount }}',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: api',
    '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
    '',
  ].join('\n'),
});

ruleTester(rule, {
  valid: [
    { name: 'compose replicas', files: { 'compose.yaml': yaml(['services:', '  api:', '    image: acme/api:1.0.0', '    deploy:', '      replicas: 3']) } },
    {
      name: 'an HPA on a one-replica Deployment',
      files: {
        'k8s.yaml': yaml([
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata: { name: api }',
          'spec:',
          '  replicas: 1',
          '  selector: { matchLabels: { app: api } }',
          '  template: { metadata: { labels: { app: api } }, spec: { containers: [{ name: api, image: "acme/api:1.0.0" }] } }',
          '---',
          'apiVersion: autoscaling/v2',
          'kind: HorizontalPodAutoscaler',
          'metadata: { name: api }',
          'spec:',
          '  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }',
          '  minReplicas: 2',
          '  maxReplicas: 10',
        ]),
      },
    },
    { name: 'one compose instance for development, three replicas where the chart deploys it', files: composeAndChart(3) },
  ],
  invalid: [
    {
      name: 'one compose instance for development and one replica where the chart deploys it',
      files: composeAndChart(1),
      errors: [{ messageId: 'singleInstance', service: 'api', data: { service: 'api' }, file: 'deploy/api/templates/deployment.yaml' }],
    },
    {
      name: 'a single compose instance',
      files: { 'compose.yaml': yaml(['services:', '  api:', '    image: acme/api:1.0.0']) },
      errors: [{ messageId: 'singleInstance', service: 'api', data: { service: 'api' }, file: 'compose.yaml', line: 2 }],
    },
    {
      name: 'sessions kept in memory',
      files: {
        'compose.yaml': yaml(['services:', '  web:', '    build: ./web', '    deploy: { replicas: 2 }']),
        'web/package.json': JSON.stringify({ name: 'web', dependencies: { express: '5.0.0', 'express-session': '1.18.0' } }),
        'web/src/app.js': "import express from 'express';\nimport session from 'express-session';\nconst app = express();\napp.use(session({ secret: process.env.SECRET }));\napp.get('/health', (req, res) => res.send('ok'));\n",
      },
      errors: [{ messageId: 'localState', service: 'web', file: 'web/src/app.js', line: 4 }],
    },
  ],
});
