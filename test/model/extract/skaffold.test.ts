import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/skaffold.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);

describe('skaffold', () => {
  it('each build artifact is a unit with its image and where it is built from (profiles too, once per image)', async () => {
    const facts = await run(
      'deploy/skaffold.yaml',
      `apiVersion: skaffold/v4beta6
kind: Config
build:
  artifacts:
    - image: shop/orders
      context: ../services/orders
      docker:
        dockerfile: docker/Dockerfile.prod
    - image: registry.example.com/shop/payments
      context: ../services/payments
      jib: {}
    - image: shop/web
    - image: shop/ledger
      context: ../
      jib:
        project: services/ledger
        type: maven
    - image: shop/audit
      context: ../
      jib:
        project: com.acme:audit
manifests:
  rawYaml: [k8s/*.yaml]
profiles:
  - name: dev
    build:
      artifacts:
        - image: shop/orders
          context: ../services/orders
        - image: shop/mail
          context: ../services/mail
          buildpacks:
            builder: paketobuildpacks/builder:base
`,
    );
    expect(facts?.deployments?.map((d) => [d.name, d.images, d.build, d.sourceDir, d.location.line])).toEqual([
      ['orders', ['shop/orders'], { context: 'services/orders', dockerfile: 'services/orders/docker/Dockerfile.prod' }, null, 5],
      ['payments', ['registry.example.com/shop/payments'], { context: 'services/payments', dockerfile: null }, 'services/payments', 9],
      ['web', ['shop/web'], { context: 'deploy', dockerfile: 'deploy/Dockerfile' }, null, 12],
      // Jib in a multi-module build: the module under the context; a Maven coordinate names no folder.
      ['ledger', ['shop/ledger'], { context: '.', dockerfile: null }, 'services/ledger', 13],
      ['audit', ['shop/audit'], { context: '.', dockerfile: null }, '.', 18],
      ['mail', ['shop/mail'], { context: 'services/mail', dockerfile: null }, 'services/mail', 30],
    ]);
    expect(facts?.deployments?.every((d) => d.format === 'skaffold')).toBe(true);
  });

  it('a YAML file that is not a skaffold config, or a context outside the repository, builds nothing there', async () => {
    expect(await run('skaffold.yaml', 'apiVersion: v1\nkind: ConfigMap\n# skaffold/v2\n')).toBeNull();
    const facts = await run('skaffold.yaml', 'apiVersion: skaffold/v2beta29\nkind: Config\nbuild:\n  artifacts:\n    - image: x/out\n      context: ../elsewhere\n');
    expect(facts?.deployments?.[0]).toMatchObject({ name: 'out', build: null, sourceDir: null });
  });
});
