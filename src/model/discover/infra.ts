/**
 * Images of third-party infrastructure: what a repository runs beside its
 * services (databases, brokers, caches, collectors, proxies, identity
 * providers, admin UIs, mail catchers, emulators), known by the image's
 * name. The link step also recognises infrastructure that no list names: an
 * image no folder of the repository builds, from a registry path the
 * repository's own images do not use.
 */
import { infraRole } from '../extract/compose.js';
import type { RepoModel } from '../types.js';

type Role = RepoModel['infrastructure'][number]['role'];

export const GATEWAY_IMAGES = /^(kong|kong-gateway|traefik|nginx|nginx-unprivileged|openresty|envoy|envoyproxy|krakend|krakend-ce|tyk|tyk-gateway|apisix|haproxy|caddy|ingress-nginx|contour|emissary|ambassador|gloo|zuul)$/;

const OTHER: Array<[RegExp, Role]> = [
  [/^(mssql|mssql-server|sql-server|sqlserver)$/, 'database'],
  [/^(cassandra|scylla|neo4j|couchdb|couchbase|influxdb|clickhouse(-server)?|cockroach|dynamodb-local|elasticsearch|opensearch|solr|minio|azurite|etcd|oracle.*|db2.*|h2)$/, 'database'],
  [/^(zookeeper|cp-zookeeper|schema-registry|cp-schema-registry|connect|cp-kafka-connect|kafka-connect|debezium.*|activemq.*|artemis.*|pulsar|nsq.*|emqx|mosquitto|eventstore|kafka-rest)$/, 'broker'],
  [/^(memcached|hazelcast|ignite|infinispan.*)$/, 'cache'],
  [/-exporter$/, 'observability'],
  [/^(loki|promtail|fluentd|fluent-bit|logstash|kibana|seq|datalust-seq|elastic-agent|filebeat|metricbeat|alertmanager|node-exporter|cadvisor|otel-collector|opentelemetry-collector.*|signoz.*|apm-server|pyroscope|graylog|splunk.*|newrelic.*|heapster(-grafana|-influxdb)?|kube-state-metrics|metrics-server)$/, 'observability'],
  [/^(keycloak|hydra|kratos|dex|authelia|oauth2-proxy|identityserver|cas)$/, 'platform'],
  [/^(consul|vault|eureka|eureka-server|config-server|spring-cloud-config-server|nacos.*|apollo.*|spring-boot-admin.*)$/, 'platform'],
  [/^(pgadmin4?|adminer|phpmyadmin|mongo-express|redis-commander|redisinsight|kafka-ui|kafdrop|kowl|redpanda-console|conduktor.*|akhq|kafka-manager|rabbitmq-management|swagger-ui|swagger-editor|redoc|portainer|mailhog|maildev|mailpit|mailcatcher|smtp4dev|papercut|greenmail|localstack|wiremock|mockserver|prism|selenium.*|aws-cli|awscli|curl|busybox|alpine|ubuntu|debian|dind|docker)$/, 'other'],
];

/** The image's name without registry, path, tag or digest, lower case. */
const baseName = (image: string): string => image.split('@')[0]!.replace(/:[^/:]*$/, '').split('/').pop()!.toLowerCase();
/** The image's organisation path (`eventuateio`, `confluentinc`, `quay.io/keycloak`), lower case. */
const orgPath = (image: string): string => {
  const parts = image.split('@')[0]!.replace(/:[^/:]*$/, '').toLowerCase().split('/');
  return parts.slice(0, -1).join('/');
};

/** Organisations that publish infrastructure images only. */
const INFRA_ORGS = /(^|\/)(bitnami|confluentinc|redpandadata|vectorized|cloudhut|wurstmeister|debezium|eventuateio|openzipkin|jaegertracing|grafana|prom|otel|elastic|docker\.elastic\.co|datalust|provectuslabs|obsidiandynamics|dpage|swaggerapi|localstack|amazon|mcr\.microsoft\.com\/mssql|mcr\.microsoft\.com\/azure-storage|hashicorp|keycloak|quay\.io\/keycloak|jboss|library|apache|envoyproxy|traefik|kong|nginxinc|minio|mongo-express|redislabs|rabbitmq|axllent|mailhog|maildev|linuxserver|sonatype)$/;

/** Load generators: a tool of the team that calls the system, not a service of it. */
const LOAD_GENERATORS = /^(k6|locust|locustio|jmeter|gatling|artillery|vegeta|load-?test|load-?generator)$/;
/** A database image of the project's own registry, seeded with its data (`acme/catalogue-db`). */
const DATABASE_NAME = /[-_](db|database)$/;

/** Why an image is third-party infrastructure (`database (postgres)`), or null when nothing says it is. */
export function infrastructureImage(image: string): { role: Role; reason: string } | null {
  const known = infraRole(image);
  if (known) return { role: known.role, reason: `${known.role} image ${image}` };
  // `heapster-influxdb-amd64`: the product without the architecture it is built for.
  const name = baseName(image).replace(/-(amd64|arm64|x86_64|aarch64)$/, '');
  if (LOAD_GENERATORS.test(name)) return { role: 'other', reason: `load generator image ${image}` };
  if (DATABASE_NAME.test(name)) return { role: 'database', reason: `database image ${image}` };
  if (GATEWAY_IMAGES.test(name)) return { role: 'gateway', reason: `proxy image ${image}` };
  for (const [pattern, role] of OTHER) if (pattern.test(name)) return { role, reason: `${role} image ${image}` };
  if (INFRA_ORGS.test(orgPath(image))) return { role: 'other', reason: `third-party image ${image}` };
  return null;
}

/**
 * Whether an image is a third-party product that code built over it configures (a database, broker, cache, proxy,
 * collector, platform server or load generator), not a bare OS, language or toolchain image (alpine, golang).
 */
export function productImage(image: string): string | null {
  const known = infrastructureImage(image);
  if (!known) return null;
  return known.role !== 'other' || LOAD_GENERATORS.test(baseName(image)) ? known.reason : null;
}
