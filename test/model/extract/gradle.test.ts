import { describe, expect, it } from 'vitest';
import gradle from '../../../src/model/extract/gradle.js';
import { runExtractor } from '../../helpers/extract.js';

const settings = `rootProject.name = 'shop'
include 'orders', ':shared:money'
include("payments")
project(':payments').projectDir = file('services/payments')
`;

const rootBuild = `plugins {
  id 'org.springframework.boot' version '3.3.0' apply false
}
subprojects {
  apply plugin: 'java'
}
`;

const ordersBuild = `plugins {
    id 'java'
    id 'org.springframework.boot' version '3.3.0'
}

buildscript {
    dependencies {
        classpath "org.springframework.boot:spring-boot-gradle-plugin:3.3.0"
    }
}

dependencies {
    implementation 'org.springframework.boot:spring-boot-starter-web'
    implementation project(':shared:money')
    implementation(platform("org.springframework.cloud:spring-cloud-dependencies:2023.0.0"))
    runtimeOnly group: 'org.postgresql', name: 'postgresql', version: '42.7.0'
    compileOnly 'org.projectlombok:lombok'
    testImplementation 'org.testcontainers:kafka'
    // implementation 'org.springframework.kafka:spring-kafka'
    /* implementation 'io.github.resilience4j:resilience4j-spring-boot3' */
    constraints {
        implementation 'io.netty:netty-codec:4.1.100.Final'
    }
}

jib {
    to {
        image = 'registry.acme.io/orders'
    }
}
`;

const kotlinBuild = `plugins {
    alias(libs.plugins.spring.boot)
    \`java-library\`
}

dependencies {
    implementation(libs.spring.kafka)
    implementation(
        "io.micrometer:micrometer-tracing-bridge-otel"
    )
    testImplementation(libs.spring.boot.starter.test)
}
`;

const catalog = `[versions]
boot = "3.3.0"

[libraries]
spring-kafka = { module = "org.springframework.kafka:spring-kafka", version = "3.2.0" }
spring-boot-starter-test = { group = "org.springframework.boot", name = "spring-boot-starter-test", version.ref = "boot" }

[plugins]
spring-boot = { id = "org.springframework.boot", version.ref = "boot" }
`;

const convention = `class ServicePlugin implements Plugin<Project> {
  void apply(Project project) {
    project.apply(plugin: 'org.springframework.boot')
    project.dependencies {
      compile 'org.springframework.cloud:spring-cloud-starter-sleuth'
    }
  }
}
`;

describe('gradle extractor', () => {
  it('reads a module: executable by the Boot plugin, dependencies by configuration, project references, Jib image', async () => {
    const facts = await runExtractor(gradle, 'orders/build.gradle', ordersBuild, { 'settings.gradle': settings, 'build.gradle': rootBuild });
    expect(facts?.unit).toMatchObject({ kind: 'gradle', dir: 'orders', name: 'orders', executable: true, parent: '.', references: ['shared/money'], images: ['registry.acme.io/orders'] });
    expect(facts?.dependencies?.map((d) => [d.name, d.scope, d.location.line])).toEqual([
      ['org.springframework.boot:spring-boot-starter-web', 'runtime', 13],
      ['org.postgresql:postgresql', 'runtime', 16],
      ['org.projectlombok:lombok', 'build', 17],
      ['org.testcontainers:kafka', 'test', 18],
    ]);
  });

  it('the root build takes its modules from settings (projectDir overrides); a plugin with apply false is not applied', async () => {
    const facts = await runExtractor(gradle, 'build.gradle', rootBuild, { 'settings.gradle': settings });
    expect(facts?.unit).toMatchObject({ dir: '.', name: 'shop', executable: null, parent: null, modules: ['orders', 'shared/money', 'services/payments'] });
  });

  it('settings without a root build script give the root unit; beside one they give nothing', async () => {
    expect((await runExtractor(gradle, 'settings.gradle', settings))?.unit?.modules).toEqual(['orders', 'shared/money', 'services/payments']);
    expect(await runExtractor(gradle, 'settings.gradle', settings, { 'build.gradle': rootBuild })).toBeNull();
  });

  it('reads the Kotlin DSL with a version catalog', async () => {
    const facts = await runExtractor(gradle, 'billing/build.gradle.kts', kotlinBuild, { 'settings.gradle.kts': 'include("billing")\n', 'gradle/libs.versions.toml': catalog });
    expect(facts?.unit?.executable).toBe(true);
    expect(facts?.dependencies?.map((d) => [d.name, d.scope])).toEqual([
      ['org.springframework.kafka:spring-kafka', 'runtime'],
      ['io.micrometer:micrometer-tracing-bridge-otel', 'runtime'],
      ['org.springframework.boot:spring-boot-starter-test', 'test'],
    ]);
  });

  it('a module without a runnable plugin does not say it is executable', async () => {
    const facts = await runExtractor(gradle, 'shared/money/build.gradle', "plugins { id 'java-library' }\ndependencies { api 'org.javamoney:moneta:1.4' }\n", { 'settings.gradle': settings });
    expect(facts?.unit).toMatchObject({ name: 'money', executable: null, parent: '.' });
  });

  it('adds what a buildSrc convention plugin applies', async () => {
    const facts = await runExtractor(gradle, 'orders/build.gradle', "apply plugin: ServicePlugin\n", {
      'settings.gradle': settings,
      'buildSrc/src/main/groovy/ServicePlugin.groovy': convention,
    });
    expect(facts?.unit?.executable).toBe(true);
    expect(facts?.dependencies).toEqual([
      { ecosystem: 'gradle', name: 'org.springframework.cloud:spring-cloud-starter-sleuth', scope: 'runtime', location: { file: 'buildSrc/src/main/groovy/ServicePlugin.groovy', line: 5 } },
    ]);
  });

  it('never reads build scripts of buildSrc itself or of build output', async () => {
    expect(await runExtractor(gradle, 'buildSrc/build.gradle', ordersBuild)).toBeNull();
    expect(await runExtractor(gradle, 'orders/build/tmp/build.gradle', ordersBuild)).toBeNull();
  });
});
