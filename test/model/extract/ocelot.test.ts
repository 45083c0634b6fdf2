import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/ocelot.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);

describe('ocelot', () => {
  it('routes each upstream path to its downstream hosts; QoS with exceptions allowed is a breaker', async () => {
    const facts = await run('src/Gateway/ocelot.json', `{
  "Routes": [
    {
      "DownstreamPathTemplate": "/api/{everything}",
      "DownstreamScheme": "http",
      "DownstreamHostAndPorts": [ { "Host": "orders", "Port": 80 } ],
      "UpstreamPathTemplate": "/orders/{everything}",
      "QoSOptions": { "ExceptionsAllowedBeforeBreaking": 3, "DurationOfBreak": 5000 }
    },
    {
      "DownstreamHostAndPorts": [ { "Host": "catalog", "Port": 5000 } ],
      "UpstreamPathTemplate": "/catalog/{everything}",
      "QoSOptions": { "TimeoutValue": 5000 }
    },
    { "ServiceName": "payments", "UpstreamPathTemplate": "/pay/{x}", "UpstreamHost": "pay.example.com" }
  ]
}`);
    const [gateway] = facts?.gateways ?? [];
    expect(gateway).toMatchObject({ implementation: 'ocelot', runsIn: null, location: { file: 'src/Gateway/ocelot.json', line: 2 } });
    expect(gateway?.routes.map((r) => [r.path, r.host, r.upstream, r.breaker, r.location.line])).toEqual([
      ['/orders/{everything}', null, 'http://orders:80', true, 3],
      ['/catalog/{everything}', null, 'http://catalog:5000', false, 10],
      ['/pay/{x}', 'pay.example.com', 'payments', false, 15],
    ]);
  });

  it('GlobalConfiguration QoS applies to routes without their own; ReRoutes (before Ocelot 16) are read', async () => {
    const facts = await run('ocelot.Production.json', `{
  "ReRoutes": [ { "DownstreamHostAndPorts": [ { "Host": "a", "Port": 1 } ], "UpstreamPathTemplate": "/a" } ],
  "GlobalConfiguration": { "QoSOptions": { "ExceptionsAllowedBeforeBreaking": 2 } }
}`);
    expect(facts?.gateways?.[0]?.routes.map((r) => r.breaker)).toEqual([true]);
  });

  it('a file without routes declares no gateway; other files are not read', async () => {
    expect((await run('ocelot.json', '{ "GlobalConfiguration": {} }'))?.gateways).toBeUndefined();
    expect(await run('routes.json', '{ "Routes": [] }')).toBeNull();
  });
});
