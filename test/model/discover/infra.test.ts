import { describe, expect, it } from 'vitest';
import { infrastructureImage } from '../../../src/model/discover/infra.js';

describe('discover: infrastructure images', () => {
  it.for([
    ['postgres:17.2-alpine', 'database'],
    ['docker.io/library/mongo:7', 'database'],
    ['rabbitmq:4.1-management', 'broker'],
    ['confluentinc/cp-zookeeper:7.6.0', 'broker'],
    ['traefik:v3.1', 'gateway'],
    ['nginxinc/nginx-unprivileged:1.27', 'gateway'],
    ['grafana/loki:3.0.0', 'observability'],
    ['quay.io/keycloak/keycloak:26.0', 'platform'],
    ['dpage/pgadmin4:8', 'other'],
    ['eventuateio/eventuate-cdc-service:0.16.0', 'other'],
    // a project's own database image, seeded with its data; cluster monitoring built for one architecture
    ['acme/catalogue-db:0.3.0', 'database'],
    ['gcr.io/google_containers/heapster-influxdb-amd64:v1.1.1', 'observability'],
    ['k8s.gcr.io/kube-state-metrics/kube-state-metrics:v2.1.0', 'observability'],
    ['acme/load-test:0.1.1', 'other'],
  ] as const)('%s is third-party infrastructure (%s)', ([image, role]) => {
    expect(infrastructureImage(image)?.role).toBe(role);
  });

  it.for([
    ['provectuslabs/kafka-ui:0.7.2', 'other'],
    ['mongo-express:1.0', 'other'],
    ['rediscommander/redis-commander:latest', 'other'],
    ['prometheuscommunity/postgres-exporter:v0.15.0', 'observability'],
    ['confluentinc/cp-kafka-connect:7.6.0', 'broker'],
  ] as const)('%s is a tool named after a product, infrastructure but not that product (%s)', ([image, role]) => {
    expect(infrastructureImage(image)?.role).toBe(role);
  });

  it.for([['ghcr.io/acme/orders:1.4.0'], ['acme/payments-api:latest'], ['registry.example.com/shop/catalog-sync:2'], ['orders'], ['acme/db-migrator:1'], ['acme/dbadmin-api:2']])('%s is not known infrastructure', ([image]) => {
    expect(infrastructureImage(image!)).toBeNull();
  });
});
