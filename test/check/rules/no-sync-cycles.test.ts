import rule from '../../../src/check/rules/no-sync-cycles.js';
import { ruleTester } from '../../helpers/rule-tester.js';
import { caller, pkg } from './fixtures.js';

/**
 * A front end served through a Spring Cloud Gateway BFF (`routes`: path → upstream), whose pages call their API
 * through a request helper; `calls` are the call sites' URLs.
 */
function frontEnd(routes: Array<[string, string]>, calls: string[], options: { gateway?: boolean; env?: string } = {}): Record<string, string> {
  const gateway = options.gateway ?? true;
  return {
    'compose.yaml': [
      'services:',
      ...(gateway ? ['  bff:', '    build: ./bff', '    ports: ["8080:8080"]'] : []),
      '  web:',
      '    build: ./web',
      ...(options.env ? ['    environment:', `      - ${options.env}`] : []),
      '  catalog:',
      '    build: ./catalog',
      '',
    ].join('\n'),
    ...(gateway
      ? {
          'bff/pom.xml': '<project><artifactId>bff</artifactId><dependencies><dependency><groupId>org.springframework.cloud</groupId><artifactId>spring-cloud-starter-gateway</artifactId></dependency></dependencies></project>\n',
          'bff/src/main/resources/application.yml': [
            'spring:',
            '  cloud:',
            '    gateway:',
            '      routes:',
            ...routes.flatMap(([path, uri], i) => [`        - id: r${i}`, `          uri: ${uri}`, '          predicates:', `            - Path=${path}`]),
            '',
          ].join('\n'),
        }
      : {}),
    'web/package.json': pkg('web', ['next', 'react']),
    'web/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] } } }),
    'web/common/services/ApiClientService.ts': [
      'const get = async (endpoint: string) => {',
      "  const res = await fetch(endpoint, { method: 'GET', headers: { Accept: 'application/json' } });",
      '  return res;',
      '};',
      'export default { get };',
      '',
    ].join('\n'),
    'web/modules/catalog/services/ProductService.ts': [
      "import apiClientService from '@/common/services/ApiClientService';",
      ...calls.map((url, i) => `export async function load${i}() { return (await apiClientService.get(\`${url}\`)).json(); }`),
      '',
    ].join('\n'),
    ...caller('catalog', []),
  };
}


ruleTester(rule, {
  valid: [
    { name: 'a chain a → b → c', files: { ...caller('a', ['b']), ...caller('b', ['c']), ...caller('c', []) } },
    { name: 'a front end behind its BFF whose request helper is never given an address', files: frontEnd([['/**', 'http://web:3000']], []) },
    { name: 'a front end behind its BFF that calls a third-party host', files: frontEnd([['/**', 'http://web:3000']], ['https://api.example.com/items']) },
    { name: 'a front end with no gateway in front that calls its own origin', files: frontEnd([], ['/api/items'], { gateway: false }) },
    { name: 'a front end whose BFF routes its /api paths back to it (its own API routes)', files: frontEnd([['/api/**', 'http://web:3000'], ['/**', 'http://web:3000']], ['/api/items']) },
  ],
  invalid: [
    {
      name: 'a front end served by its BFF (/** → web) that calls /api/… through a request helper',
      files: frontEnd([['/api/**', 'http://catalog:3000'], ['/**', 'http://web:3000']], ['/api/product/items']),
      errors: [{ messageId: 'cycle', data: { path: 'bff → web → bff' }, service: 'bff' }],
    },
    {
      name: 'a front end that calls its BFF at an address from the environment',
      files: frontEnd([['/**', 'http://web:3000']], ['${process.env.API_BASE_PATH}/items'], { env: 'API_BASE_PATH=http://bff:8080/api' }),
      errors: [{ messageId: 'cycle', data: { path: 'bff → web → bff' }, service: 'bff' }],
    },
    {
      name: 'a cycle a → b → c → a',
      files: { ...caller('a', ['b']), ...caller('b', ['c']), ...caller('c', ['a']) },
      errors: [{ messageId: 'cycle', data: { path: 'a → b → c → a' }, service: 'a', file: 'a/src/app.js', line: 5 }],
    },
    {
      name: 'three services that all call each other',
      files: { ...caller('a', ['b', 'c']), ...caller('b', ['a', 'c']), ...caller('c', ['a', 'b']) },
      errors: [{ messageId: 'allToAll', data: { count: 3, services: 'a, b, c' }, service: 'a' }],
    },
  ],
});
