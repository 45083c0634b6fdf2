/**
 * What Maven and Gradle (`group:artifact`) dependencies give.
 *
 * Deliberately absent: Spring Cloud Bus (`spring-cloud-starter-bus-amqp`, `-bus-kafka`) and the Hystrix metrics
 * stream (`spring-cloud-netflix-hystrix-stream`): they put a broker on the classpath to carry configuration
 * refreshes and breaker metrics, not business messages, so they give no broker capability (and no `platform`
 * one either: a service that joins the bus is still a business service). Spring Data JPA/JDBC starters name
 * no engine (the JDBC driver beside them does).
 */
import type { Capability } from '../facts.js';
import type { KnowledgeRow } from './row.js';

const health: Capability = { kind: 'health' };
const tracing: Capability = { kind: 'tracing', exports: false };
const tracingExported: Capability = { kind: 'tracing', exports: true };
const breaker: Capability = { kind: 'breaker' };
const retry: Capability = { kind: 'retry' };
const kafka: Capability = { kind: 'broker', broker: 'kafka' };
const rabbitmq: Capability = { kind: 'broker', broker: 'rabbitmq' };
const web: Capability = { kind: 'web' };
const httpClient: Capability = { kind: 'http-client' };
const grpc: Capability = { kind: 'grpc' };
const db = (engine: Extract<Capability, { kind: 'database' }>['engine']): Capability => ({ kind: 'database', engine });
const platform = (role: string): Capability => ({ kind: 'platform', role });
const gateway = (implementation: string): Capability => ({ kind: 'gateway', implementation });

const boot = 'org.springframework.boot:';
const cloud = 'org.springframework.cloud:';

const rows: readonly KnowledgeRow[] = [
  // health
  [`${boot}spring-boot-starter-actuator`, health],
  [`${boot}spring-boot-actuator`, health],
  [`${boot}spring-boot-actuator-autoconfigure`, health],
  // Spring Cloud Security's starters (Finchley, Greenwich) bring spring-boot-starter-actuator with them.
  [`${cloud}spring-cloud-starter-security`, health],
  [`${cloud}spring-cloud-starter-oauth2`, health],
  ['io.quarkus:quarkus-smallrye-health', health],
  ['io.micronaut:micronaut-management', health],
  ['org.eclipse.microprofile.health:*', health],
  ['io.helidon.health:*', health],

  // tracing: set-up only, or set-up with an exporter
  [`${cloud}spring-cloud-starter-sleuth`, tracing],
  [`${cloud}spring-cloud-sleuth-core`, tracing],
  [`${cloud}spring-cloud-sleuth-zipkin`, tracingExported],
  [`${cloud}spring-cloud-sleuth-otel-autoconfigure`, tracingExported],
  [`${cloud}spring-cloud-starter-zipkin`, tracingExported],
  [`${boot}spring-boot-starter-zipkin`, tracingExported],
  [`${boot}spring-boot-starter-opentelemetry`, tracingExported],
  ['io.micrometer:micrometer-tracing-bridge-*', tracing],
  ['io.zipkin.reporter2:*', tracingExported],
  ['io.zipkin.brave:*', tracing],
  ['io.opentelemetry:opentelemetry-sdk*', tracing],
  ['io.opentelemetry:opentelemetry-exporter-*', tracingExported],
  ['io.opentelemetry.instrumentation:*', tracing],
  ['io.opentelemetry.instrumentation:opentelemetry-spring-boot-starter', tracingExported],
  ['io.opentelemetry.javaagent:opentelemetry-javaagent', tracingExported],
  ['io.quarkus:quarkus-opentelemetry', tracingExported],
  ['io.micronaut.tracing:*', tracing],
  ['io.jaegertracing:*', tracingExported],
  ['io.opentracing.contrib:opentracing-spring-jaeger-*', tracingExported],
  ['io.opentracing:*', tracing],

  // breakers (the library, not its use) and retries
  ['io.github.resilience4j:resilience4j-circuitbreaker', breaker],
  ['io.github.resilience4j:resilience4j-all', breaker],
  ['io.github.resilience4j:resilience4j-spring-boot*', breaker],
  ['io.github.resilience4j:resilience4j-spring-cloud*', breaker],
  ['io.github.resilience4j:resilience4j-micronaut', breaker],
  ['io.github.resilience4j:resilience4j-feign', breaker],
  ['io.github.resilience4j:resilience4j-retry', retry],
  [`${cloud}spring-cloud-starter-circuitbreaker-*`, breaker],
  [`${cloud}spring-cloud-starter-netflix-hystrix`, breaker],
  [`${cloud}spring-cloud-starter-hystrix`, breaker],
  ['com.netflix.hystrix:hystrix-core', breaker],
  ['com.netflix.hystrix:hystrix-javanica', breaker],
  ['org.springframework.retry:spring-retry', retry],
  ['dev.failsafe:failsafe', breaker, retry],
  ['net.jodah:failsafe', breaker, retry],
  ['org.eclipse.microprofile.fault-tolerance:*', breaker],
  ['io.quarkus:quarkus-smallrye-fault-tolerance', breaker],
  ['com.alibaba.cloud:spring-cloud-starter-alibaba-sentinel', breaker],
  ['com.alibaba.csp:sentinel-core', breaker],

  // brokers
  ['org.springframework.kafka:spring-kafka', kafka],
  ['org.apache.kafka:kafka-clients', kafka],
  ['org.apache.kafka:kafka-streams', kafka],
  [`${cloud}spring-cloud-stream-binder-kafka*`, kafka],
  [`${cloud}spring-cloud-starter-stream-kafka`, kafka],
  ['io.projectreactor.kafka:reactor-kafka', kafka],
  ['io.micronaut.kafka:*', kafka],
  ['io.quarkus:quarkus-smallrye-reactive-messaging-kafka', kafka],
  ['io.quarkus:quarkus-messaging-kafka', kafka],
  ['org.apache.camel:camel-kafka', kafka],
  ['io.eventuate.tram.core:eventuate-tram-spring-jdbc-kafka', kafka],
  ['io.eventuate.tram.core:eventuate-tram-spring-consumer-kafka', kafka],
  ['io.eventuate.tram.core:eventuate-tram-jdbc-kafka', kafka],
  ['io.eventuate.tram.core:eventuate-tram-consumer-kafka', kafka],
  [`${boot}spring-boot-starter-amqp`, rabbitmq],
  ['org.springframework.amqp:spring-rabbit', rabbitmq],
  ['com.rabbitmq:amqp-client', rabbitmq],
  [`${cloud}spring-cloud-stream-binder-rabbit`, rabbitmq],
  [`${cloud}spring-cloud-starter-stream-rabbit`, rabbitmq],
  ['io.projectreactor.rabbitmq:reactor-rabbitmq', rabbitmq],
  ['io.micronaut.rabbitmq:*', rabbitmq],
  ['io.quarkus:quarkus-smallrye-reactive-messaging-rabbitmq', rabbitmq],
  ['io.quarkus:quarkus-messaging-rabbitmq', rabbitmq],
  ['io.eventuate.tram.core:eventuate-tram-spring-consumer-rabbitmq', rabbitmq],
  ['io.nats:jnats', { kind: 'broker', broker: 'nats' }],
  ['org.eclipse.paho:*', { kind: 'broker', broker: 'mqtt' }],

  // databases: JDBC drivers, Spring Data starters, native clients
  ['org.postgresql:postgresql', db('postgres')],
  ['org.postgresql:r2dbc-postgresql', db('postgres')],
  ['io.r2dbc:r2dbc-postgresql', db('postgres')],
  ['mysql:mysql-connector-java', db('mysql')],
  ['com.mysql:mysql-connector-j', db('mysql')],
  ['io.asyncer:r2dbc-mysql', db('mysql')],
  ['org.mariadb.jdbc:mariadb-java-client', db('mariadb')],
  ['org.mariadb:r2dbc-mariadb', db('mariadb')],
  ['com.microsoft.sqlserver:mssql-jdbc', db('sqlserver')],
  ['com.oracle.database.jdbc:*', db('other')],
  ['com.oracle.ojdbc:*', db('other')],
  ['org.xerial:sqlite-jdbc', db('sqlite')],
  [`${boot}spring-boot-starter-data-mongodb`, db('mongodb')],
  [`${boot}spring-boot-starter-data-mongodb-reactive`, db('mongodb')],
  ['org.mongodb:*', db('mongodb')],
  ['io.quarkus:quarkus-mongodb-*', db('mongodb')],
  [`${boot}spring-boot-starter-data-redis`, db('redis')],
  [`${boot}spring-boot-starter-data-redis-reactive`, db('redis')],
  ['org.springframework.session:spring-session-data-redis', db('redis')],
  ['redis.clients:jedis', db('redis')],
  ['io.lettuce:lettuce-core', db('redis')],
  ['org.redisson:*', db('redis')],
  [`${boot}spring-boot-starter-data-elasticsearch`, db('elasticsearch')],
  ['org.springframework.data:spring-data-elasticsearch', db('elasticsearch')],
  ['co.elastic.clients:*', db('elasticsearch')],
  ['org.elasticsearch.client:*', db('elasticsearch')],
  ['org.opensearch.client:*', db('elasticsearch')],
  [`${boot}spring-boot-starter-data-cassandra`, db('cassandra')],
  [`${boot}spring-boot-starter-data-cassandra-reactive`, db('cassandra')],
  ['com.datastax.oss:*', db('cassandra')],
  ['com.amazonaws:aws-java-sdk-dynamodb', db('dynamodb')],
  ['software.amazon.awssdk:dynamodb*', db('dynamodb')],
  ['io.awspring.cloud:spring-cloud-aws-starter-dynamodb', db('dynamodb')],

  // gateways
  [`${cloud}spring-cloud-starter-gateway`, gateway('spring-cloud-gateway')],
  [`${cloud}spring-cloud-starter-gateway-mvc`, gateway('spring-cloud-gateway')],
  [`${cloud}spring-cloud-starter-gateway-server-*`, gateway('spring-cloud-gateway')],
  // Zuul 1 brings Actuator and wraps every serviceId route in a Hystrix command.
  [`${cloud}spring-cloud-starter-netflix-zuul`, gateway('zuul'), health, breaker],
  [`${cloud}spring-cloud-starter-zuul`, gateway('zuul'), health, breaker],
  ['com.netflix.zuul:zuul-core', gateway('zuul')],

  // load generators: a tool that calls the system, not a service of it
  ['io.gatling.highcharts:gatling-charts-highcharts', platform('load generator')],
  ['io.gatling:gatling-app', platform('load generator')],
  // platform servers: no business code of their own
  [`${cloud}spring-cloud-config-server`, platform('config-server')],
  [`${cloud}spring-cloud-starter-config-server`, platform('config-server')],
  [`${cloud}spring-cloud-starter-netflix-eureka-server`, platform('registry')],
  [`${cloud}spring-cloud-starter-eureka-server`, platform('registry')],
  [`${cloud}spring-cloud-starter-netflix-hystrix-dashboard`, platform('dashboard')],
  [`${cloud}spring-cloud-starter-hystrix-dashboard`, platform('dashboard')],
  [`${cloud}spring-cloud-starter-netflix-turbine*`, platform('turbine')],
  [`${cloud}spring-cloud-starter-turbine*`, platform('turbine')],
  ['de.codecentric:spring-boot-admin-starter-server', platform('admin-server')],
  ['de.codecentric:spring-boot-admin-server', platform('admin-server')],
  ['io.zipkin.java:zipkin-server', platform('zipkin-server')],
  ['io.zipkin.java:zipkin-autoconfigure-ui', platform('zipkin-server')],

  // web servers
  [`${boot}spring-boot-starter-web`, web],
  [`${boot}spring-boot-starter-webflux`, web],
  [`${boot}spring-boot-starter-webmvc`, web],
  ['io.quarkus:quarkus-resteasy*', web],
  ['io.quarkus:quarkus-rest', web],
  ['io.quarkus:quarkus-rest-jackson', web],
  ['io.micronaut:micronaut-http-server-netty', web],
  ['io.javalin:javalin', web],
  ['com.sparkjava:spark-core', web],
  ['io.dropwizard:dropwizard-core', web],
  ['io.vertx:vertx-web', web],
  ['io.helidon.webserver:*', web],

  // HTTP and gRPC clients
  [`${cloud}spring-cloud-starter-openfeign`, httpClient],
  [`${cloud}spring-cloud-starter-feign`, httpClient],
  ['io.github.openfeign:*', httpClient],
  ['com.squareup.retrofit2:retrofit', httpClient],
  ['com.squareup.okhttp3:okhttp', httpClient],
  ['org.apache.httpcomponents:httpclient', httpClient],
  ['org.apache.httpcomponents.client5:httpclient5', httpClient],
  ['io.quarkus:quarkus-rest-client*', httpClient],
  ['io.micronaut:micronaut-http-client', httpClient],
  ['io.grpc:*', grpc],
  ['net.devh:*', grpc],
  ['org.springframework.grpc:*', grpc],
];

export default rows;
