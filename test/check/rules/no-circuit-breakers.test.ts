import rule from '../../../src/check/rules/no-circuit-breakers.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { caller } from './fixtures.js';

const mixed = {
  ...caller('web', ['users'], { breaker: true }),
  'web/src/report.js': "import axios from 'axios';\nexport async function report() {\n  return axios.post('http://orders:3000/reports', {});\n}\n",
  ...caller('users', []),
  ...caller('orders', []),
};

/** `product` has a breaker on one call; its client class for `media`, invoked per item, has none: one call site bypasses it. */
const layered = {
  'compose.yaml': 'services:\n  product:\n    build: ./product\n  media:\n    build: ./media\n  stock:\n    build: ./stock\n',
  'product/pom.xml': '<project><artifactId>product</artifactId></project>\n',
  'media/pom.xml': '<project><artifactId>media</artifactId></project>\n',
  'stock/pom.xml': '<project><artifactId>stock</artifactId></project>\n',
  'product/src/main/java/acme/MediaClient.java':
    'package acme;\nimport org.springframework.web.client.RestTemplate;\nclass MediaClient {\n  private final RestTemplate rest = new RestTemplate();\n  Media get(Long id) { return rest.getForObject("http://media:8080/medias/" + id, Media.class); }\n  @CircuitBreaker(name = "stock")\n  Stock stock(Long id) { return rest.getForObject("http://stock:8080/stock/" + id, Stock.class); }\n}\n',
  'product/src/main/java/acme/Products.java': 'package acme;\nclass Products {\n  private final MediaClient media;\n  Products(MediaClient media) { this.media = media; }\n  void run(List<Long> ids) { for (Long id : ids) { media.get(id); } }\n}\n',
};

ruleTester(rule, {
  valid: [{ name: 'every call through a breaker', files: { ...caller('web', ['users'], { breaker: true }), ...caller('users', []) } }],
  invalid: [
    {
      name: 'one call bypasses the breaker the service has',
      files: mixed,
      errors: [{ messageId: 'unprotected', data: { method: 'POST', service: 'web', target: 'orders' }, service: 'web', file: 'web/src/report.js', line: 3 }],
    },
    {
      name: 'a call reached per item through a client class is reported once, where it is made',
      files: layered,
      errors: [{ messageId: 'unprotected', data: { method: 'GET', service: 'product', target: 'media' }, service: 'product', file: 'product/src/main/java/acme/MediaClient.java', line: 5 }],
    },
  ],
});
