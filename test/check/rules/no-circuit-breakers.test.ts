import rule from '../../../src/check/rules/no-circuit-breakers.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { caller } from './fixtures.js';

const mixed = {
  ...caller('web', ['users'], { breaker: true }),
  'web/src/report.js': "import axios from 'axios';\nexport async function report() {\n  return axios.post('http://orders:3000/reports', {});\n}\n",
  ...caller('users', []),
  ...caller('orders', []),
};

/** Spring services: `account` calls `auth` and `stats` through Feign clients, the one to `stats` with a fallback. */
function feign(switchOn: boolean): Record<string, string> {
  const pom = (name: string) =>
    `<project><modelVersion>4.0.0</modelVersion><groupId>shop</groupId><artifactId>${name}</artifactId><dependencies>` +
    '<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>' +
    '<dependency><groupId>org.springframework.cloud</groupId><artifactId>spring-cloud-starter-openfeign</artifactId></dependency>' +
    '</dependencies></project>\n';
  const app = (name: string) => `package shop.${name};\n@org.springframework.boot.autoconfigure.SpringBootApplication\npublic class App {}\n`;
  return {
    'docker-compose.yml': ['services:', '  account:', '    build: ./account', '  auth:', '    build: ./auth', '  stats:', '    build: ./stats', ''].join('\n'),
    'account/pom.xml': pom('account'),
    'account/src/main/java/shop/account/App.java': app('account'),
    'account/src/main/resources/application.yml': switchOn ? 'feign:\n  hystrix:\n    enabled: true\n' : 'server:\n  port: 8080\n',
    'account/src/main/java/shop/account/AuthClient.java': [
      'package shop.account;',
      'import org.springframework.cloud.openfeign.FeignClient;',
      'import org.springframework.web.bind.annotation.PostMapping;',
      '@FeignClient(name = "auth")',
      'public interface AuthClient {',
      '  @PostMapping("/users") void createUser(String user);',
      '}',
      '',
    ].join('\n'),
    'account/src/main/java/shop/account/StatsClient.java': [
      'package shop.account;',
      'import org.springframework.cloud.openfeign.FeignClient;',
      'import org.springframework.web.bind.annotation.PutMapping;',
      '@FeignClient(name = "stats", fallback = StatsFallback.class)',
      'public interface StatsClient {',
      '  @PutMapping("/stats") void update(String account);',
      '}',
      '',
    ].join('\n'),
    'auth/pom.xml': pom('auth'),
    'auth/src/main/java/shop/auth/App.java': app('auth'),
    'stats/pom.xml': pom('stats'),
    'stats/src/main/java/shop/stats/App.java': app('stats'),
  };
}

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
  valid: [
    { name: 'every call through a breaker', files: { ...caller('web', ['users'], { breaker: true }), ...caller('users', []) } },
    // With Feign's breaker switch on, every Feign client of the service runs in a breaker, with a fallback or not.
    { name: 'Feign clients under feign.hystrix.enabled', files: feign(true) },
    // Without it, the fallback is inert: the service applies no breaker, which `circuit-breakers` reports once.
    { name: 'Feign fallback without the switch', files: feign(false) },
  ],
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
