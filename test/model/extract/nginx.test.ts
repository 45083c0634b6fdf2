import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/nginx.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string, files: Record<string, string> = {}) => runExtractor(extractor, path, text, files);
const routes = async (path: string, text: string, files: Record<string, string> = {}) =>
  (await run(path, text, files))?.gateways?.[0]?.routes.map((r) => [r.host, r.path, r.upstream, r.breaker, r.location.line]);

describe('nginx', () => {
  it('each proxied location is a route, with the first server_name as host; upstream blocks resolve to their servers', async () => {
    const text = `upstream orders_backend {
  server orders-1:8080;
  server orders-2:8080 weight=2;
}
server {
  listen 80;
  server_name api.example.com www.example.com;
  location /orders/ {
    proxy_pass http://orders_backend/api/;
  }
  location = /health { return 200; }
  location ~* ^/catalog/(.*)$ {
    proxy_set_header Host $host;
    proxy_pass http://catalog:5000;
  }
}
`;
    const facts = await run('deploy/nginx/nginx.conf', text);
    expect(facts?.gateways?.[0]).toMatchObject({ implementation: 'nginx', runsIn: null, location: { file: 'deploy/nginx/nginx.conf', line: 5 } });
    expect(await routes('deploy/nginx/nginx.conf', text)).toEqual([
      ['api.example.com', '/orders/', 'http://orders-1:8080/api/', false, 9],
      ['api.example.com', '/orders/', 'http://orders-2:8080/api/', false, 9],
      ['api.example.com', '^/catalog/(.*)$', 'http://catalog:5000', false, 14],
    ]);
  });

  it('keeps envsubst placeholders as written, resolves `set $var` and reads grpc_pass; fastcgi_pass is no route', async () => {
    const text = `server {
  server_name _;
  location /api/ { proxy_pass \${API_URL}; }
  location /cart/ { proxy_pass http://\${CART_HOST}:\${CART_PORT}; }
  location /search/ {
    # resolved at run time, so that nginx starts without the host
    set $search_host "search";
    proxy_pass http://$search_host;
  }
  location /grpc { grpc_pass grpc://inventory:9090; }
  location ~ \\.php$ { fastcgi_pass php:9000; }
  location /local { proxy_pass http://unix:/run/app.sock:/; }
}`;
    expect(await routes('nginx/templates/default.conf.template', text)).toEqual([
      [null, '/cart/', 'http://${CART_HOST}:${CART_PORT}', false, 4],
      [null, '/search/', 'http://search', false, 8],
      [null, '/grpc', 'grpc://inventory:9090', false, 10],
    ]);
  });

  it('an upstream defined in a sibling file of the folder is resolved', async () => {
    const upstreams = 'upstream payments { server payments:9000; }\n';
    expect(await routes('nginx/conf.d/app.conf', 'server { location /pay { proxy_pass http://payments; } }', { 'nginx/conf.d/upstreams.conf': upstreams })).toEqual([
      [null, '/pay', 'http://payments:9000', false, 1],
    ]);
    expect(await routes('nginx/conf.d/app.conf', 'server { location /pay { proxy_pass http://payments; } }')).toEqual([[null, '/pay', 'http://payments', false, 1]]);
  });

  it('an explicit max_fails on an upstream server is a breaker; the implicit default and retries are not', async () => {
    const text = `upstream a { server a:80 max_fails=3 fail_timeout=30s; }
upstream b { server b:80 max_fails=0; }
upstream c { server c:80; }
server {
  location /a { proxy_pass http://a; }
  location /b { proxy_pass http://b; }
  location /c { proxy_pass http://c; proxy_next_upstream error timeout; }
}`;
    const facts = await run('nginx.conf', text);
    expect(facts?.gateways?.[0]?.routes.map((r) => [r.upstream, r.breaker])).toEqual([
      ['http://a:80', true],
      ['http://b:80', false],
      ['http://c:80', false],
    ]);
    expect(facts?.breakers).toEqual([{ what: 'nginx upstream a: server a:80 max_fails=3', location: { file: 'nginx.conf', line: 1 } }]);
  });

  it('a commented-out proxy_pass is no route; a stream server proxies TCP without a path', async () => {
    const text = 'server {\n  location / {\n    # proxy_pass http://old;\n    root /usr/share/nginx/html;\n  }\n  location /api { proxy_pass http://api; } # proxy_pass http://older;\n}\n';
    expect(await routes('nginx.conf', text)).toEqual([[null, '/api', 'http://api', false, 6]]);
    expect(await routes('nginx.conf', 'stream {\n  upstream db { server postgres:5432; }\n  server { listen 5432; proxy_pass db; }\n}\n')).toEqual([[null, null, 'postgres:5432', false, 3]]);
  });

  it('reports unbalanced braces in an nginx file, keeping the routes before them', async () => {
    const facts = await run('nginx.conf', 'server {\n  location /a { proxy_pass http://a:1; }\n');
    expect(facts?.diagnostics).toEqual([{ file: 'nginx.conf', line: 3, message: 'cannot parse nginx configuration: unexpected end of file, expecting "}"' }]);
    expect(facts?.gateways?.[0]?.routes.map((r) => r.upstream)).toEqual(['http://a:1']);
  });

  it('hostile text: nesting deeper than any configuration is reported, not walked', async () => {
    const deep = `server {\n${'location / {'.repeat(100_000)}\n proxy_pass http://a;`;
    const facts = await run('nginx.conf', deep);
    expect(facts?.diagnostics?.[0]?.message).toBe('cannot parse nginx configuration: blocks nested deeper than 64');
    const placeholders = `server { location / { proxy_pass http://a; } }\n${'$\{'.repeat(50_000)}`;
    expect((await run('nginx.conf', placeholders))?.gateways?.[0]?.routes.map((r) => r.upstream)).toEqual(['http://a']);
  });

  it('reads only nginx-like paths, and only files that proxy', async () => {
    const text = 'server { location / { proxy_pass http://web:3000; } }';
    expect(await run('src/app.ts', text)).toBeNull();
    expect(await run('infra/nginx/default.template', text)).not.toBeNull();
    expect(await run('site.conf', 'server { listen 80; root /var/www; }')).toBeNull();
    expect(await run('chart/templates/nginx.conf', 'server { location / { proxy_pass http://{{ .Values.backend }}:80; } }')).toBeNull();
    expect(await run('roles/nginx/templates/site.conf', '{% for s in services %}location /{{ s }} { proxy_pass http://{{ s }}; }{% endfor %}')).toBeNull();
    // Apache's ProxyPass is another server's syntax.
    expect(await run('httpd.conf', '<VirtualHost *:80>\n  ProxyPass /api http://api:8080/\n</VirtualHost>\n')).toBeNull();
  });
});
