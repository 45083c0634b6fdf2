import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/krakend.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);

describe('krakend', () => {
  it('each endpoint goes to its backends (own hosts, else the global host); the circuit-breaker component is a breaker', async () => {
    const text = `{
  "version": 3,
  "host": ["http://fallback:8080"],
  "endpoints": [
    {
      "endpoint": "/v1/orders/{id}",
      "backend": [
        {
          "host": ["http://orders:8080/"],
          "url_pattern": "/orders/{id}",
          "extra_config": { "qos/circuit-breaker": { "interval": 60, "timeout": 10, "max_errors": 1 } }
        },
        { "url_pattern": "/users/{id}", "extra_config": { "qos/http-cache": {} } }
      ]
    }
  ]
}`;
    const facts = await run('config/krakend.json', text);
    expect(facts?.gateways?.[0]).toMatchObject({ implementation: 'krakend', runsIn: null, location: { file: 'config/krakend.json', line: 4 } });
    expect(facts?.gateways?.[0]?.routes.map((r) => [r.path, r.upstream, r.breaker, r.location.line])).toEqual([
      ['/v1/orders/{id}', 'http://orders:8080/orders/{id}', true, 8],
      ['/v1/orders/{id}', 'http://fallback:8080/users/{id}', false, 13],
    ]);
    expect(facts?.breakers).toEqual([{ what: 'KrakenD backend of /v1/orders/{id}: circuit breaker', location: { file: 'config/krakend.json', line: 11 } }]);
  });

  it('a flexible-configuration template, another file name or a file without endpoints says nothing', async () => {
    expect(await run('krakend.tmpl.json', '{ "endpoints": [ {{ template "endpoints" . }} ], "url_pattern": 1 }')).toBeNull();
    expect(await run('gateway.json', '{ "endpoints": [ { "backend": [ { "url_pattern": "/x" } ] } ] }')).toBeNull();
    expect(await run('krakend.json', '{ "version": 3, "url_pattern": "/x" }')).toBeNull();
  });
});
