import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/kustomize.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);

describe('kustomize', () => {
  it('records resources, patches, image renames, name prefix/suffix, namespace and replica overrides, and no deployment unit', async () => {
    const facts = await run(
      'k8s/overlays/prod/kustomization.yaml',
      `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop-prod
namePrefix: prod-
resources:
  - ../../base
  - ingress.yaml
  - https://github.com/example/other//deploy?ref=v1
  - github.com/example/remote/base?ref=main
components:
  - ../../components/tracing
patches:
  - path: replicas-patch.yaml
  - patch: |-
      - op: replace
        path: /spec/replicas
        value: 3
patchesStrategicMerge:
  - memory.yaml
images:
  - name: shop/orders
    newName: registry.example.com/shop/orders
    newTag: "1.4.2"
  - name: shop/payments
    digest: sha256:abc
replicas:
  - name: orders
    count: 4
`,
    );
    expect(facts?.deployments).toBeUndefined();
    expect(facts?.kustomization).toEqual({
      dir: 'k8s/overlays/prod',
      resources: ['k8s/base', 'k8s/overlays/prod/ingress.yaml'],
      components: ['k8s/components/tracing'],
      patches: ['k8s/overlays/prod/replicas-patch.yaml', 'k8s/overlays/prod/memory.yaml'],
      images: [
        { name: 'shop/orders', newName: 'registry.example.com/shop/orders', newTag: '1.4.2', digest: null, location: { file: 'k8s/overlays/prod/kustomization.yaml', line: 21 } },
        { name: 'shop/payments', newName: null, newTag: null, digest: 'sha256:abc', location: { file: 'k8s/overlays/prod/kustomization.yaml', line: 24 } },
      ],
      namePrefix: 'prod-',
      nameSuffix: null,
      namespace: 'shop-prod',
      replicas: [{ name: 'orders', count: 4, location: { file: 'k8s/overlays/prod/kustomization.yaml', line: 27 } }],
      location: { file: 'k8s/overlays/prod/kustomization.yaml', line: 1 },
    });
  });

  it('reads only kustomization files, and references that leave the repository are left out', async () => {
    expect(await run('k8s/deployment.yaml', 'resources: [a.yaml]\n')).toBeNull();
    const facts = await run('kustomization.yml', 'resources:\n  - ../outside\n  - deploy.yaml\n');
    expect(facts?.kustomization?.resources).toEqual(['deploy.yaml']);
    expect(facts?.kustomization?.images).toEqual([]);
  });
});
