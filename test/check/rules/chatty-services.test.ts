import rule from '../../../src/check/rules/chatty-services.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { caller, frontEnd } from './fixtures.js';

const ENV = { env: 'API_BASE_PATH=http://bff:8080/api' };
const paths = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}/items/${i}`);

/** Two Java services: `product` invokes its own client class for `media` in `run` (per item, or once). */
const layered = (perItem: boolean) => ({
  'compose.yaml': 'services:\n  product:\n    build: ./product\n  media:\n    build: ./media\n',
  'product/pom.xml': '<project><artifactId>product</artifactId></project>\n',
  'media/pom.xml': '<project><artifactId>media</artifactId></project>\n',
  'product/src/main/java/acme/MediaClient.java':
    'package acme;\nimport org.springframework.web.client.RestTemplate;\nclass MediaClient {\n  private final RestTemplate rest = new RestTemplate();\n  Media get(Long id) { return rest.getForObject("http://media:8080/medias/" + id, Media.class); }\n}\n',
  'product/src/main/java/acme/Products.java': `package acme;\nclass Products {\n  private final MediaClient media;\n  Products(MediaClient media) { this.media = media; }\n  void run(List<Long> ids) {\n    ${perItem ? 'for (Long id : ids) { media.get(id); }' : 'media.get(ids.get(0));'}\n  }\n}\n`,
});

ruleTester(rule, {
  valid: [
    { name: 'a front end whose pages call the BFF that serves them from many places (browser requests)', files: frontEnd([['/**', 'http://web:3000']], paths(12, '/api')) },
    { name: 'a few calls', files: { ...caller('web', ['users'], { extraCalls: 3 }), ...caller('users', []) } },
    { name: 'a client class invoked once, outside a loop', files: layered(false) },
    { name: 'five callees is not a fan-out yet', files: { ...caller('web', ['a', 'b', 'c', 'd', 'e']), ...Object.assign({}, ...['a', 'b', 'c', 'd', 'e'].map((t) => caller(t, []))) } },
  ],
  invalid: [
    {
      name: 'a front end whose server calls its BFF from nine places',
      files: frontEnd([['/**', 'http://web:3000']], paths(9, '${process.env.API_BASE_PATH}'), ENV),
      errors: [{ messageId: 'tooMany', data: { from: 'web', to: 'bff', calls: 9, limit: 8 }, service: 'web' }],
    },
    {
      name: 'nine call sites from one service to another',
      files: { ...caller('web', ['users'], { extraCalls: 8 }), ...caller('users', []) },
      errors: [{ messageId: 'tooMany', data: { from: 'web', to: 'users', calls: 9, limit: 8 }, service: 'web' }],
    },
    {
      name: 'one service calling six others synchronously',
      files: {
        ...caller('web', ['a', 'b', 'c', 'd', 'e', 'f']),
        ...Object.assign({}, ...['a', 'b', 'c', 'd', 'e', 'f'].map((t) => caller(t, []))),
      },
      errors: [{ messageId: 'fanOut', data: { service: 'web', count: 6, targets: 'a, b, c, d, e, f', limit: 5 }, service: 'web' }],
    },
    {
      name: 'a call inside a loop',
      files: { ...caller('web', ['users'], { loop: true }), ...caller('users', []) },
      errors: [{ messageId: 'inLoop', data: { service: 'web', target: 'users' }, service: 'web', file: 'web/src/app.js', line: 5 }],
    },
    {
      name: 'a client class invoked per item: reported at the loop',
      files: layered(true),
      errors: [{ messageId: 'inLoop', data: { service: 'product', target: 'media' }, service: 'product', file: 'product/src/main/java/acme/Products.java', line: 6 }],
    },
    {
      name: 'a lower limit from the options',
      options: { maxCallSites: 1 },
      files: { ...caller('web', ['users'], { extraCalls: 1 }), ...caller('users', []) },
      errors: [{ messageId: 'tooMany', data: { from: 'web', to: 'users', calls: 2, limit: 1 } }],
    },
  ],
});
