import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/aspire.js';
import { runExtractor } from '../../helpers/extract.js';

const appHost = `
var builder = DistributedApplication.CreateBuilder(args);
var postgres = builder.AddPostgres("postgres");
var catalogDb = postgres.AddDatabase("catalogdb");
var redis = builder.AddRedis("redis");
var catalog = builder.AddProject<Projects.Catalog_API>("catalog-api")
    .WithReference(catalogDb)
    .WithReplicas(2)
    .WithHttpHealthCheck("/health");
builder.AddProject<Projects.Basket_API>("basket-api")
    .WithReference(redis)
    .WithReference(catalog)
    .WithEnvironment("Features__Fast", "true");
builder.AddContainer("mail", "maildev/maildev", "2.1.0");
builder.AddProject("ordering", "../Ordering.API/Ordering.API.csproj");
builder.Build().Run();
`;

describe('aspire', () => {
  it('projects, containers and servers are deployment units; references become the environment Aspire injects', async () => {
    const facts = await runExtractor(extractor, 'src/AppHost/Program.cs', appHost);
    expect(facts?.platform?.map((p) => p.location.line)).toEqual([2]);
    const units = Object.fromEntries((facts?.deployments ?? []).map((d) => [d.name, d]));
    expect(Object.keys(units)).toEqual(['postgres', 'catalogdb', 'redis', 'catalog-api', 'basket-api', 'mail', 'ordering']);
    expect(units['catalog-api']).toMatchObject({ format: 'aspire', project: 'Catalog.API', replicas: 2, location: { file: 'src/AppHost/Program.cs', line: 6 } });
    expect(units['catalog-api']?.environment.map((s) => [s.key, s.value])).toEqual([['ConnectionStrings__catalogdb', 'Host=postgres;Database=catalogdb']]);
    expect(units['catalog-api']?.health.map((h) => h.what)).toEqual(['WithHttpHealthCheck(/health)']);
    expect(units['basket-api']?.environment.map((s) => [s.key, s.value])).toEqual([
      ['ConnectionStrings__redis', 'redis:6379'],
      ['services__catalog-api__http__0', 'http://catalog-api'],
      ['Features__Fast', 'true'],
    ]);
    expect(units['postgres']?.images).toEqual(['postgres']);
    // A database runs in its server's engine: infrastructure for the link step, whatever it is named.
    expect(units['catalogdb']?.images).toEqual(['postgres']);
    expect(units['mail']?.images).toEqual(['maildev/maildev:2.1.0']);
    expect(units['ordering']).toMatchObject({ sourceDir: 'src/Ordering.API', project: null });
  });

  it('an app host under a test folder starts the system for a test run: no deployment', async () => {
    expect(extractor.accepts({ path: 'tests/Ordering.FunctionalTests/AppHost.cs', base: 'AppHost.cs', lower: 'apphost.cs', ext: '.cs' })).toBe(false);
    expect(extractor.accepts({ path: 'src/AppHost/Program.cs', base: 'Program.cs', lower: 'program.cs', ext: '.cs' })).toBe(true);
  });

  it('a file that builds no distributed application declares nothing', async () => {
    const text = 'class DistributedApplicationHelper { void M(IServiceCollection s) => s.AddProject<Projects.A>("a"); }';
    expect(await runExtractor(extractor, 'src/Lib/Helper.cs', text)).toBeNull();
    expect(await runExtractor(extractor, 'src/Lib/Program.cs', 'var b = WebApplication.CreateBuilder(args);')).toBeNull();
  });
});
