/** Small source files shaped like real services, shared by the source-based rule tests. */
export const pkg = (name: string, deps: string[]) => JSON.stringify({ name, dependencies: Object.fromEntries(deps.map((d) => [d, '1.0.0'])) });

/** An Express service that calls `targets` over HTTP with axios; `breaker` wraps the calls in opossum. */
export function caller(name: string, targets: string[], options: { breaker?: boolean; loop?: boolean; extraCalls?: number } = {}): Record<string, string> {
  const calls = targets.map((t) => `axios.get('http://${t}:3000/items')`);
  const lines = [
    "import axios from 'axios';",
    ...(options.breaker ? ["import CircuitBreaker from 'opossum';"] : []),
    "import express from 'express';",
    'const app = express();',
    "app.get('/health', (_req, res) => res.send('ok'));",
  ];
  targets.forEach((t, i) => {
    const call = calls[i]!;
    if (options.breaker) {
      lines.push(`const ${t.replace(/-/g, '_')}Breaker = new CircuitBreaker(() => ${call}, { timeout: 3000 });`);
      lines.push(`app.get('/${t}', async (_req, res) => res.json(await ${t.replace(/-/g, '_')}Breaker.fire()));`);
    } else if (options.loop) {
      lines.push(`app.get('/${t}', async (req, res) => { const out = []; for (const id of req.query.ids) { out.push(await axios.get('http://${t}:3000/items/' + id)); } res.json(out); });`);
    } else {
      lines.push(`app.get('/${t}', async (_req, res) => res.json(await ${call}));`);
    }
  });
  for (let i = 0; i < (options.extraCalls ?? 0); i++) lines.push(`app.get('/extra${i}', async (_req, res) => res.json(await ${calls[0]}));`);
  return {
    [`${name}/package.json`]: pkg(name, ['express', 'axios', ...(options.breaker ? ['opossum'] : [])]),
    [`${name}/src/app.js`]: `${lines.join('\n')}\n`,
  };
}

/**
 * A front end served through a Spring Cloud Gateway BFF (`routes`: path → upstream), whose pages call their API
 * through a request helper; `calls` are the call sites' URLs.
 */
export function frontEnd(routes: Array<[string, string]>, calls: string[], options: { gateway?: boolean; env?: string } = {}): Record<string, string> {
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
