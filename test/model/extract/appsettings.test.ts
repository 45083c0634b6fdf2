import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/appsettings.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);

describe('appsettings', () => {
  it('flattens every scalar to a dotted key, with the environment as profile', async () => {
    const facts = await run('src/Ordering.API/appsettings.Production.json', `{
  // comments and trailing commas are fine in appsettings
  "ConnectionStrings": {
    "OrderingDb": "Server=sqldata;Database=OrderingDb;User Id=sa",
  },
  "urls:basket": "http://basket-api",
  "Retries": 3,
  "UseCache": false,
  "Hosts": ["a", "b"],
  "Nothing": null
}`);
    expect(facts?.settings?.map((s) => [s.key, s.value, s.profile, s.location.line])).toEqual([
      ['ConnectionStrings.OrderingDb', 'Server=sqldata;Database=OrderingDb;User Id=sa', 'Production', 4],
      ['urls.basket', 'http://basket-api', 'Production', 6],
      ['Retries', '3', 'Production', 7],
      ['UseCache', 'false', 'Production', 8],
      ['Hosts.0', 'a', 'Production', 9],
      ['Hosts.1', 'b', 'Production', 9],
    ]);
  });

  it('the default file has no profile; other JSON files are not read', async () => {
    expect((await run('appsettings.json', '{"A":"1"}'))?.settings).toEqual([{ key: 'A', value: '1', profile: null, location: { file: 'appsettings.json', line: 1 } }]);
    expect((await run('src/appsettings.Docker.Compose.json', '{"A":"1"}'))?.settings?.[0]?.profile).toBe('Docker.Compose');
    expect(await run('src/settings.json', '{"A":"1"}')).toBeNull();
    expect(await run('src/ocelot.json', '{"A":"1"}')).toBeNull();
  });

  it('an endpoint or a key for a trace backend is trace export; Serilog sinks and empty keys are not', async () => {
    const exporting = await run('appsettings.json', `{
  "OpenTelemetry": { "Otlp": { "Endpoint": "http://otel-collector:4317" } },
  "ApplicationInsights": { "ConnectionString": "InstrumentationKey=abc" }
}`);
    expect(exporting?.traceExport?.map((e) => e.location.line)).toEqual([2, 3]);
    const logging = await run('appsettings.json', `{
  "Serilog": { "WriteTo": [{ "Name": "Seq", "Args": { "serverUrl": "http://seq" } }] },
  "ApplicationInsights": { "InstrumentationKey": "" }
}`);
    expect(logging?.traceExport).toBeUndefined();
  });

  it("a YARP ReverseProxy is a gateway routing to its clusters' destinations", async () => {
    const facts = await run('src/Gateway/appsettings.json', `{
  "ReverseProxy": {
    "Routes": {
      "orders": { "ClusterId": "orders", "Match": { "Path": "/orders/{**catch-all}" } },
      "basket": { "ClusterId": "basket", "Match": { "Path": "/basket/{**rest}", "Hosts": ["shop.example.com"] } }
    },
    "Clusters": {
      "orders": { "Destinations": { "d1": { "Address": "http://ordering-api:8080/" } },
                  "HealthCheck": { "Passive": { "Enabled": true } } },
      "basket": { "Destinations": { "d1": { "Address": "http://basket-api" }, "d2": { "Address": "http://basket-api-2" } } }
    }
  }
}`);
    expect(facts?.gateways).toEqual([
      {
        implementation: 'yarp',
        runsIn: null,
        location: { file: 'src/Gateway/appsettings.json', line: 2 },
        routes: [
          { path: '/orders/{**catch-all}', host: null, upstream: 'http://ordering-api:8080/', breaker: true, location: { file: 'src/Gateway/appsettings.json', line: 4 } },
          { path: '/basket/{**rest}', host: 'shop.example.com', upstream: 'http://basket-api', breaker: false, location: { file: 'src/Gateway/appsettings.json', line: 5 } },
          { path: '/basket/{**rest}', host: 'shop.example.com', upstream: 'http://basket-api-2', breaker: false, location: { file: 'src/Gateway/appsettings.json', line: 5 } },
        ],
      },
    ]);
  });

  it('settings without ReverseProxy or Routes declare no gateway', async () => {
    expect((await run('appsettings.json', '{"Clusters": {"a": {"Destinations": {}}}}'))?.gateways).toBeUndefined();
  });

  it('a broken file is a diagnostic, not a crash', async () => {
    const facts = await run('appsettings.json', '{\n  "A": \n}');
    expect(facts?.diagnostics?.[0]).toMatchObject({ file: 'appsettings.json', line: 3 });
  });
});
