/**
 * What NuGet packages (package id, as the manifest spells it) dependencies give. A library on the list is
 * evidence of a capability, not of its use: Polly gives no breaker until a circuit-breaker policy is applied
 * (csharp-source says where), Application Insights exports nothing without a key.
 */
import type { KnowledgeRow } from './row.js';

const rows: readonly KnowledgeRow[] = [
  // Health endpoints and health services.
  ['AspNetCore.HealthChecks.*', { kind: 'health' }],
  ['Microsoft.AspNetCore.Diagnostics.HealthChecks', { kind: 'health' }],
  ['Microsoft.Extensions.Diagnostics.HealthChecks*', { kind: 'health' }],
  ['Grpc.HealthCheck', { kind: 'health' }],
  ['Grpc.AspNetCore.HealthChecks', { kind: 'health' }],

  // Tracing: the SDK and instrumentations trace; exporters (and agents that ship to a backend) export.
  ['OpenTelemetry', { kind: 'tracing', exports: false }],
  ['OpenTelemetry.Extensions.Hosting', { kind: 'tracing', exports: false }],
  ['OpenTelemetry.Instrumentation.*', { kind: 'tracing', exports: false }],
  ['OpenTelemetry.Exporter.OpenTelemetryProtocol', { kind: 'tracing', exports: true }],
  ['OpenTelemetry.Exporter.Zipkin', { kind: 'tracing', exports: true }],
  ['OpenTelemetry.Exporter.Jaeger', { kind: 'tracing', exports: true }],
  ['Azure.Monitor.OpenTelemetry.*', { kind: 'tracing', exports: true }],
  // Application Insights correlates requests and dependencies; export needs a connection string or key.
  ['Microsoft.ApplicationInsights*', { kind: 'tracing', exports: false }],
  ['Jaeger', { kind: 'tracing', exports: true }],
  ['OpenTracing', { kind: 'tracing', exports: false }],
  ['Elastic.Apm*', { kind: 'tracing', exports: true }],
  ['Datadog.Trace*', { kind: 'tracing', exports: true }],

  // Breaker libraries (the library, not a breaker applied).
  ['Polly', { kind: 'breaker' }],
  ['Polly.Core', { kind: 'breaker' }],
  ['Polly.Extensions.Http', { kind: 'breaker' }],
  ['Microsoft.Extensions.Http.Polly', { kind: 'breaker' }],
  ['Microsoft.Extensions.Http.Resilience', { kind: 'breaker' }, { kind: 'retry' }],
  ['Microsoft.Extensions.Resilience', { kind: 'breaker' }, { kind: 'retry' }],

  // Brokers.
  ['RabbitMQ.Client', { kind: 'broker', broker: 'rabbitmq' }],
  ['MassTransit.RabbitMQ', { kind: 'broker', broker: 'rabbitmq' }],
  ['EasyNetQ*', { kind: 'broker', broker: 'rabbitmq' }],
  ['RawRabbit*', { kind: 'broker', broker: 'rabbitmq' }],
  ['NServiceBus.RabbitMQ', { kind: 'broker', broker: 'rabbitmq' }],
  ['Rebus.RabbitMq', { kind: 'broker', broker: 'rabbitmq' }],
  ['Aspire.RabbitMQ.Client', { kind: 'broker', broker: 'rabbitmq' }],
  ['Confluent.Kafka', { kind: 'broker', broker: 'kafka' }],
  ['MassTransit.Kafka', { kind: 'broker', broker: 'kafka' }],
  ['Aspire.Confluent.Kafka', { kind: 'broker', broker: 'kafka' }],
  ['NATS.Client', { kind: 'broker', broker: 'nats' }],
  ['NATS.Net', { kind: 'broker', broker: 'nats' }],
  ['NATS.Client.*', { kind: 'broker', broker: 'nats' }],
  ['MQTTnet*', { kind: 'broker', broker: 'mqtt' }],
  ['Azure.Messaging.ServiceBus', { kind: 'broker', broker: 'azure-service-bus' }],
  ['Microsoft.Azure.ServiceBus', { kind: 'broker', broker: 'azure-service-bus' }],
  ['MassTransit.Azure.ServiceBus.Core', { kind: 'broker', broker: 'azure-service-bus' }],
  ['NServiceBus.Transport.AzureServiceBus', { kind: 'broker', broker: 'azure-service-bus' }],
  ['Aspire.Azure.Messaging.ServiceBus', { kind: 'broker', broker: 'azure-service-bus' }],

  // Databases.
  ['Microsoft.EntityFrameworkCore.SqlServer', { kind: 'database', engine: 'sqlserver' }],
  ['Microsoft.Data.SqlClient', { kind: 'database', engine: 'sqlserver' }],
  ['System.Data.SqlClient', { kind: 'database', engine: 'sqlserver' }],
  ['Aspire.Microsoft.Data.SqlClient', { kind: 'database', engine: 'sqlserver' }],
  ['Aspire.Microsoft.EntityFrameworkCore.SqlServer', { kind: 'database', engine: 'sqlserver' }],
  ['Npgsql*', { kind: 'database', engine: 'postgres' }],
  ['Aspire.Npgsql*', { kind: 'database', engine: 'postgres' }],
  ['Marten', { kind: 'database', engine: 'postgres' }],
  ['Pomelo.EntityFrameworkCore.MySql', { kind: 'database', engine: 'mysql' }],
  ['MySqlConnector', { kind: 'database', engine: 'mysql' }],
  ['MySql.Data', { kind: 'database', engine: 'mysql' }],
  ['MySql.EntityFrameworkCore', { kind: 'database', engine: 'mysql' }],
  ['MongoDB.Driver', { kind: 'database', engine: 'mongodb' }],
  ['MongoDB.EntityFrameworkCore', { kind: 'database', engine: 'mongodb' }],
  ['Aspire.MongoDB.Driver', { kind: 'database', engine: 'mongodb' }],
  ['StackExchange.Redis', { kind: 'database', engine: 'redis' }],
  ['Microsoft.Extensions.Caching.StackExchangeRedis', { kind: 'database', engine: 'redis' }],
  ['Aspire.StackExchange.Redis*', { kind: 'database', engine: 'redis' }],
  ['Microsoft.EntityFrameworkCore.Sqlite', { kind: 'database', engine: 'sqlite' }],
  ['Microsoft.Data.Sqlite', { kind: 'database', engine: 'sqlite' }],
  ['Microsoft.EntityFrameworkCore.Cosmos', { kind: 'database', engine: 'other' }],
  ['Microsoft.Azure.Cosmos', { kind: 'database', engine: 'other' }],
  ['Oracle.ManagedDataAccess.Core', { kind: 'database', engine: 'other' }],
  ['Oracle.EntityFrameworkCore', { kind: 'database', engine: 'other' }],
  ['CassandraCSharpDriver', { kind: 'database', engine: 'cassandra' }],
  ['NEST', { kind: 'database', engine: 'elasticsearch' }],
  ['Elastic.Clients.Elasticsearch', { kind: 'database', engine: 'elasticsearch' }],
  ['AWSSDK.DynamoDBv2', { kind: 'database', engine: 'dynamodb' }],

  // Gateways, gRPC, HTTP clients, web.
  ['Yarp.ReverseProxy', { kind: 'gateway', implementation: 'yarp' }],
  ['Ocelot*', { kind: 'gateway', implementation: 'ocelot' }],
  ['Grpc.Net.Client', { kind: 'grpc' }],
  ['Grpc.Net.ClientFactory', { kind: 'grpc' }],
  ['Grpc.AspNetCore', { kind: 'grpc' }],
  ['Grpc.AspNetCore.Server*', { kind: 'grpc' }],
  ['Grpc.Core', { kind: 'grpc' }],
  ['Refit*', { kind: 'http-client' }],
  ['RestSharp', { kind: 'http-client' }],
  ['Flurl.Http', { kind: 'http-client' }],
  ['Microsoft.Extensions.Http', { kind: 'http-client' }],
  ['Microsoft.AspNetCore.App', { kind: 'web' }],

  // Platform: an Aspire app host orchestrates the others locally; it is no business service.
  ['Aspire.Hosting.AppHost', { kind: 'platform', role: 'Aspire app host' }],
];

export default rows;
