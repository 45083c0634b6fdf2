import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/haproxy.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);

const config = `global
  maxconn 256

frontend http-in
  bind *:80
  acl is_api path_beg /api   # the API
  acl is_admin hdr(host) -i admin.example.com
  use_backend api if is_api
  use_backend admin if is_admin
  default_backend web
  # use_backend old if is_api

backend api
  server api1 api-1:8080 check observe layer7 error-limit 10 on-error mark-down
  server api2 api-2:8080 check

backend web
  server web web:3000

listen db
  bind *:5432
  server pg postgres:5432 check
`;

describe('haproxy', () => {
  it('frontends route by the path and host their ACLs test to the backend servers; listen sections to their own', async () => {
    const facts = await run('haproxy/haproxy.cfg', config);
    expect(facts?.gateways?.[0]).toMatchObject({ implementation: 'haproxy', runsIn: null, location: { file: 'haproxy/haproxy.cfg', line: 4 } });
    expect(facts?.gateways?.[0]?.routes.map((r) => [r.host, r.path, r.upstream, r.breaker, r.location.line])).toEqual([
      [null, '/api', 'api-1:8080', true, 8],
      [null, '/api', 'api-2:8080', false, 8],
      ['admin.example.com', null, 'admin', false, 9],
      [null, null, 'web:3000', false, 10],
      [null, null, 'postgres:5432', false, 20],
    ]);
  });

  it('observe with on-error mark-down is a breaker; a health check alone is not', async () => {
    const facts = await run('haproxy.cfg', config);
    expect(facts?.breakers).toEqual([{ what: 'HAProxy backend api: server api-1:8080 observe … on-error mark-down', location: { file: 'haproxy.cfg', line: 14 } }]);
  });

  it('other .cfg files say nothing', async () => {
    expect(await run('setup.cfg', '[metadata]\nname = backend\n')).toBeNull();
    expect(await run('haproxy.cfg', 'global\n  daemon\nbackend b\n  server s s:1\n')).toBeNull();
  });
});
