/** What Go modules (module path) dependencies give. Major-version suffixes (`/v2`) are covered by prefixes. */
import type { Capability } from '../facts.js';
import type { KnowledgeRow } from './row.js';

/** A module and the paths below it (`/v2`, its packages), but not a longer name (`gobreaker` is not `gobreakers`). */
const module = (path: string, ...capabilities: Capability[]): KnowledgeRow[] => [
  [path, ...capabilities],
  [`${path}/*`, ...capabilities],
];

const rows: readonly KnowledgeRow[] = [
  // circuit breakers
  ...module('github.com/sony/gobreaker', { kind: 'breaker' }),
  ...module('github.com/afex/hystrix-go', { kind: 'breaker' }),
  ...module('github.com/eapache/go-resiliency', { kind: 'breaker' }, { kind: 'retry' }),
  ...module('github.com/failsafe-go/failsafe-go', { kind: 'breaker' }, { kind: 'retry' }),
  ...module('github.com/mercari/go-circuitbreaker', { kind: 'breaker' }),
  ...module('github.com/rubyist/circuitbreaker', { kind: 'breaker' }),
  ...module('github.com/streadway/handy', { kind: 'breaker' }),
  ...module('github.com/avast/retry-go', { kind: 'retry' }),
  ...module('github.com/cenkalti/backoff', { kind: 'retry' }),
  ...module('github.com/hashicorp/go-retryablehttp', { kind: 'retry' }, { kind: 'http-client' }),
  // tracing
  ['go.opentelemetry.io/otel', { kind: 'tracing', exports: false }],
  ['go.opentelemetry.io/otel/sdk', { kind: 'tracing', exports: false }],
  ['go.opentelemetry.io/otel/trace', { kind: 'tracing', exports: false }],
  ['go.opentelemetry.io/otel/exporters/*', { kind: 'tracing', exports: true }],
  ['go.opentelemetry.io/contrib/instrumentation/*', { kind: 'tracing', exports: false }],
  ...module('github.com/uber/jaeger-client-go', { kind: 'tracing', exports: true }),
  ...module('github.com/opentracing/opentracing-go', { kind: 'tracing', exports: false }),
  ...module('github.com/openzipkin/zipkin-go', { kind: 'tracing', exports: true }),
  ['contrib.go.opencensus.io/exporter/*', { kind: 'tracing', exports: true }],
  ['go.opencensus.io', { kind: 'tracing', exports: false }],
  ['gopkg.in/DataDog/dd-trace-go.v1', { kind: 'tracing', exports: true }],
  ...module('github.com/DataDog/dd-trace-go', { kind: 'tracing', exports: true }),
  // brokers
  ['github.com/rabbitmq/amqp091-go', { kind: 'broker', broker: 'rabbitmq' }],
  ['github.com/streadway/amqp', { kind: 'broker', broker: 'rabbitmq' }],
  ['github.com/wagslane/go-rabbitmq', { kind: 'broker', broker: 'rabbitmq' }],
  ['github.com/IBM/sarama', { kind: 'broker', broker: 'kafka' }],
  ['github.com/Shopify/sarama', { kind: 'broker', broker: 'kafka' }],
  ...module('github.com/segmentio/kafka-go', { kind: 'broker', broker: 'kafka' }),
  ...module('github.com/confluentinc/confluent-kafka-go', { kind: 'broker', broker: 'kafka' }),
  ...module('github.com/twmb/franz-go', { kind: 'broker', broker: 'kafka' }),
  ['github.com/nats-io/nats.go', { kind: 'broker', broker: 'nats' }],
  ['github.com/eclipse/paho.mqtt.golang', { kind: 'broker', broker: 'mqtt' }],
  // databases
  ...module('github.com/jackc/pgx', { kind: 'database', engine: 'postgres' }),
  ['github.com/lib/pq', { kind: 'database', engine: 'postgres' }],
  ['gorm.io/driver/postgres', { kind: 'database', engine: 'postgres' }],
  ['github.com/go-sql-driver/mysql', { kind: 'database', engine: 'mysql' }],
  ['gorm.io/driver/mysql', { kind: 'database', engine: 'mysql' }],
  ...module('go.mongodb.org/mongo-driver', { kind: 'database', engine: 'mongodb' }),
  ...module('github.com/redis/go-redis', { kind: 'database', engine: 'redis' }),
  ...module('github.com/go-redis/redis', { kind: 'database', engine: 'redis' }),
  ['github.com/gomodule/redigo', { kind: 'database', engine: 'redis' }],
  ['github.com/mattn/go-sqlite3', { kind: 'database', engine: 'sqlite' }],
  ['gorm.io/driver/sqlite', { kind: 'database', engine: 'sqlite' }],
  ['github.com/microsoft/go-mssqldb', { kind: 'database', engine: 'sqlserver' }],
  ['github.com/denisenkom/go-mssqldb', { kind: 'database', engine: 'sqlserver' }],
  ['github.com/gocql/gocql', { kind: 'database', engine: 'cassandra' }],
  ...module('github.com/elastic/go-elasticsearch', { kind: 'database', engine: 'elasticsearch' }),
  ...module('github.com/olivere/elastic', { kind: 'database', engine: 'elasticsearch' }),
  // gateways, gRPC, health (the gRPC health service is a package of google.golang.org/grpc: seen in source)
  ...module('github.com/grpc-ecosystem/grpc-gateway', { kind: 'gateway', implementation: 'grpc-gateway' }),
  ['google.golang.org/grpc', { kind: 'grpc' }],
  ['github.com/heptiolabs/healthcheck', { kind: 'health' }],
  ...module('github.com/hellofresh/health-go', { kind: 'health' }),
  ['github.com/alexliesenfeld/health', { kind: 'health' }],
  // HTTP clients and web frameworks
  ...module('github.com/go-resty/resty', { kind: 'http-client' }),
  ...module('github.com/imroc/req', { kind: 'http-client' }),
  ['github.com/gin-gonic/gin', { kind: 'web' }],
  ...module('github.com/labstack/echo', { kind: 'web' }),
  ...module('github.com/go-chi/chi', { kind: 'web' }),
  ...module('github.com/gofiber/fiber', { kind: 'web' }),
  ['github.com/gorilla/mux', { kind: 'web' }],
  ['github.com/julienschmidt/httprouter', { kind: 'web' }],
  ['github.com/valyala/fasthttp', { kind: 'web' }],
];

export default rows;
