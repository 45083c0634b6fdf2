import rule from '../../../src/check/rules/horizontal-scaling.js';
import { ruleTester, yaml } from '../../helpers/rule-tester.js';

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
  ],
  invalid: [
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
