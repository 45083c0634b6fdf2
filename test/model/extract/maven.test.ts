import { describe, expect, it } from 'vitest';
import maven from '../../../src/model/extract/maven.js';
import { capabilitiesOf } from '../../../src/model/knowledge/index.js';
import { runExtractor } from '../../helpers/extract.js';

const pom = (body: string) => `<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
${body}
</project>
`;

const parent = pom(`  <groupId>com.acme</groupId>
  <artifactId>shop</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <modules>
    <module>orders</module>
    <module>common</module>
  </modules>
  <properties>
    <image.prefix>registry.acme.io</image.prefix>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-actuator</artifactId>
    </dependency>
  </dependencies>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.github.resilience4j</groupId>
        <artifactId>resilience4j-spring-boot3</artifactId>
        <version>2.2.0</version>
      </dependency>
    </dependencies>
  </dependencyManagement>`);

const orders = pom(`  <parent>
    <groupId>com.acme</groupId>
    <artifactId>shop</artifactId>
    <version>1.0</version>
  </parent>
  <artifactId>orders</artifactId>
  <dependencies>
    <dependency>
      <groupId>\${project.groupId}</groupId>
      <artifactId>common</artifactId>
    </dependency>
    <dependency>
      <groupId>org.postgresql</groupId>
      <artifactId>postgresql</artifactId>
      <scope>runtime</scope>
    </dependency>
    <dependency>
      <groupId>org.testcontainers</groupId>
      <artifactId>kafka</artifactId>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.projectlombok</groupId>
      <artifactId>lombok</artifactId>
      <scope>provided</scope>
    </dependency>
  </dependencies>
  <!--
  <dependency><groupId>org.springframework.kafka</groupId><artifactId>spring-kafka</artifactId></dependency>
  -->
  <build>
    <plugins>
      <plugin>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-maven-plugin</artifactId>
      </plugin>
      <plugin>
        <groupId>com.google.cloud.tools</groupId>
        <artifactId>jib-maven-plugin</artifactId>
        <configuration>
          <to><image>\${image.prefix}/orders</image></to>
        </configuration>
      </plugin>
    </plugins>
  </build>`);

const library = pom(`  <parent>
    <groupId>com.acme</groupId>
    <artifactId>shop</artifactId>
    <version>1.0</version>
  </parent>
  <artifactId>common</artifactId>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.springframework.boot</groupId>
          <artifactId>spring-boot-maven-plugin</artifactId>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>`);

describe('maven extractor', () => {
  it('reads the parent POM: modules as folders, packaging pom is not executable, dependencyManagement declares nothing', async () => {
    const facts = await runExtractor(maven, 'pom.xml', parent);
    expect(facts?.unit).toMatchObject({ kind: 'maven', dir: '.', name: 'shop', executable: false, parent: null, modules: ['orders', 'common'] });
    expect(facts?.dependencies?.map((d) => d.name)).toEqual(['org.springframework.boot:spring-boot-starter-actuator']);
    expect(facts?.dependencies?.[0]?.location).toEqual({ file: 'pom.xml', line: 16 });
  });

  it('reads a Spring Boot module: parent folder, scopes, properties, Jib image', async () => {
    const facts = await runExtractor(maven, 'orders/pom.xml', orders, { 'pom.xml': parent });
    expect(facts?.unit).toMatchObject({ dir: 'orders', name: 'orders', executable: true, parent: '.', images: ['registry.acme.io/orders'] });
    expect(facts?.dependencies?.map((d) => [d.name, d.scope])).toEqual([
      ['com.acme:common', 'runtime'],
      ['org.postgresql:postgresql', 'runtime'],
      ['org.testcontainers:kafka', 'test'],
      ['org.projectlombok:lombok', 'build'],
    ]);
  });

  it('a module whose Boot plugin is only in pluginManagement does not say it is executable; a parent outside the repository is no parent', async () => {
    const facts = await runExtractor(maven, 'common/pom.xml', library);
    expect(facts?.unit).toMatchObject({ name: 'common', executable: null, parent: null });
  });

  it('reads on after a self-closing element (an empty relativePath: the parent comes from a repository)', async () => {
    const facts = await runExtractor(maven, 'pom.xml', pom(`  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <relativePath/>
  </parent>
  <artifactId>shop</artifactId>
  <modules><module>orders</module></modules>`));
    expect(facts?.unit).toMatchObject({ name: 'shop', parent: null, modules: ['orders'] });
  });

  it('the Boot plugin of the parent build, or of a parent profile active for this module, makes the module executable', async () => {
    const profiled = pom(`  <groupId>com.acme</groupId>
  <artifactId>shop</artifactId>
  <packaging>pom</packaging>
  <profiles>
    <profile>
      <id>boot</id>
      <activation><file><exists>src/main/resources/application.yml</exists></file></activation>
      <build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>
    </profile>
  </profiles>`);
    const child = pom('  <parent><groupId>com.acme</groupId><artifactId>shop</artifactId></parent>\n  <artifactId>billing</artifactId>');
    const app = await runExtractor(maven, 'billing/pom.xml', child, { 'pom.xml': profiled, 'billing/src/main/resources/application.yml': 'a: b\n' });
    expect(app?.unit?.executable).toBe(true);
    const lib = await runExtractor(maven, 'billing/pom.xml', child, { 'pom.xml': profiled });
    expect(lib?.unit?.executable).toBeNull();
  });

  it('a POM that is not XML is a diagnostic, not a crash', async () => {
    const facts = await runExtractor(maven, 'pom.xml', '<project><dependencies>');
    expect(facts?.diagnostics?.[0]?.file).toBe('pom.xml');
    const other = await runExtractor(maven, 'pom.xml', '<settings/>');
    expect(other?.unit).toBeUndefined();
    expect(other?.diagnostics?.[0]?.message).toContain('not a Maven POM');
  });

  it('skips POMs of test resources and build output', async () => {
    expect(await runExtractor(maven, 'orders/src/test/resources/pom.xml', orders)).toBeNull();
    expect(await runExtractor(maven, 'orders/target/pom.xml', orders)).toBeNull();
  });
});

describe('maven knowledge', () => {
  const kinds = (name: string) => capabilitiesOf({ ecosystem: 'maven', name }).map((c) => JSON.stringify(c));

  it('gives health, tracing with and without export, breakers, brokers, databases, gateways and platforms', () => {
    expect(kinds('org.springframework.boot:spring-boot-starter-actuator')).toEqual(['{"kind":"health"}']);
    expect(kinds('org.springframework.cloud:spring-cloud-starter-sleuth')).toEqual(['{"kind":"tracing","exports":false}']);
    expect(kinds('org.springframework.cloud:spring-cloud-sleuth-zipkin')).toEqual(['{"kind":"tracing","exports":true}']);
    expect(kinds('io.github.resilience4j:resilience4j-spring-boot3')).toEqual(['{"kind":"breaker"}']);
    expect(kinds('org.springframework.kafka:spring-kafka')).toEqual(['{"kind":"broker","broker":"kafka"}']);
    expect(kinds('org.postgresql:postgresql')).toEqual(['{"kind":"database","engine":"postgres"}']);
    expect(kinds('org.springframework.cloud:spring-cloud-config-server')).toEqual(['{"kind":"platform","role":"config-server"}']);
    expect(capabilitiesOf({ ecosystem: 'gradle', name: 'org.springframework.cloud:spring-cloud-starter-gateway' })).toEqual([{ kind: 'gateway', implementation: 'spring-cloud-gateway' }]);
  });

  it('retries alone are not a breaker; the config bus and the Hystrix metrics stream are not business messaging', () => {
    expect(kinds('io.github.resilience4j:resilience4j-retry')).toEqual(['{"kind":"retry"}']);
    expect(kinds('org.springframework.retry:spring-retry')).toEqual(['{"kind":"retry"}']);
    expect(kinds('org.springframework.cloud:spring-cloud-starter-bus-amqp')).toEqual([]);
    expect(kinds('org.springframework.cloud:spring-cloud-netflix-hystrix-stream')).toEqual([]);
  });
});
