import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../../../src/model/knowledge/index.js';

const of = (name: string) => capabilitiesOf({ ecosystem: 'nuget', name });

describe('NuGet knowledge', () => {
  it.for([
    ['AspNetCore.HealthChecks.SqlServer', [{ kind: 'health' }]],
    ['OpenTelemetry.Instrumentation.AspNetCore', [{ kind: 'tracing', exports: false }]],
    ['OpenTelemetry.Exporter.OpenTelemetryProtocol', [{ kind: 'tracing', exports: true }]],
    ['Microsoft.ApplicationInsights.AspNetCore', [{ kind: 'tracing', exports: false }]],
    ['Microsoft.Extensions.Http.Resilience', [{ kind: 'breaker' }, { kind: 'retry' }]],
    ['RabbitMQ.Client', [{ kind: 'broker', broker: 'rabbitmq' }]],
    ['Azure.Messaging.ServiceBus', [{ kind: 'broker', broker: 'azure-service-bus' }]],
    ['Npgsql.EntityFrameworkCore.PostgreSQL', [{ kind: 'database', engine: 'postgres' }]],
    ['Microsoft.EntityFrameworkCore.SqlServer', [{ kind: 'database', engine: 'sqlserver' }]],
    ['Ocelot.Provider.Consul', [{ kind: 'gateway', implementation: 'ocelot' }]],
    ['Aspire.Hosting.AppHost', [{ kind: 'platform', role: 'Aspire app host' }]],
  ] as const)('%s', ([name, capabilities]) => {
    expect(of(name)).toEqual(capabilities);
  });

  it('logging and serialisation packages say nothing', () => {
    expect(of('Serilog.Sinks.Seq')).toEqual([]);
    expect(of('Newtonsoft.Json')).toEqual([]);
    // Neither the Polly retry helpers nor Seq make a tracer or a broker.
    expect(of('Polly').map((c) => c.kind)).toEqual(['breaker']);
  });
});
