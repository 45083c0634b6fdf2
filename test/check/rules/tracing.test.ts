import rule from '../../../src/check/rules/tracing.js';
import { ruleTester, yaml } from '../../helpers/rule-tester.js';
import { pkg } from './fixtures.js';

ruleTester(rule, {
  valid: [
    {
      name: 'OpenTelemetry NodeSDK set up',
      files: {
        'api/package.json': pkg('api', ['fastify', '@opentelemetry/sdk-node']),
        'api/src/instrumentation.ts': "import { NodeSDK } from '@opentelemetry/sdk-node';\nconst sdk = new NodeSDK({});\nsdk.start();\n",
      },
    },
    {
      name: 'an OTel exporter configured in compose',
      files: {
        'api/package.json': pkg('api', ['fastify']),
        'api/src/main.ts': "import Fastify from 'fastify';\nFastify();\n",
        'compose.yaml': yaml(['services:', '  api:', '    build: ./api', '    environment:', '      OTEL_EXPORTER_OTLP_ENDPOINT: http://collector:4318']),
      },
    },
    { name: 'a Go service known only from compose (not enough evidence)', files: { 'compose.yaml': yaml(['services:', '  billing:', '    image: acme/billing-go:1.4.0']) } },
  ],
  invalid: [
    {
      name: 'a service without tracing',
      files: { 'api/package.json': pkg('api', ['fastify']), 'api/src/main.ts': "import Fastify from 'fastify';\nFastify();\n" },
      errors: [{ messageId: 'missing', data: { service: 'api' }, service: 'api', file: 'api/package.json' }],
    },
    {
      name: 'tracing set up, but no exporter, endpoint or collector anywhere',
      files: {
        'api/package.json': pkg('api', ['fastify', '@opentelemetry/sdk-trace-node']),
        'api/src/main.ts': "import Fastify from 'fastify';\nFastify();\n",
      },
      errors: [{ messageId: 'notExported', data: { services: 'api' } }],
    },
  ],
});
