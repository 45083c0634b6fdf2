import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/docker-bake.js';
import { runExtractor } from '../../helpers/extract.js';

const run = (path: string, text: string) => runExtractor(extractor, path, text);

describe('docker-bake', () => {
  it('targets are units with their tags, context and Dockerfile; a base only inherited from is not', async () => {
    const facts = await run(
      'build/docker-bake.hcl',
      `variable "TAG" { default = "latest" }
group "default" { targets = ["orders", "payments"] }
target "_common" {
  dockerfile = "Dockerfile.prod"
}
target "orders" {
  inherits = ["_common"]
  context  = "../services/orders"
  tags     = ["shop/orders:\${TAG}"]
}
target "payments" {
  context = "../services/payments"
  tags    = ["shop/payments:1"]
}
`,
    );
    expect(facts?.deployments?.map((d) => [d.name, d.images, d.build, d.location.line])).toEqual([
      ['orders', ['shop/orders:${TAG}'], { context: 'services/orders', dockerfile: 'services/orders/Dockerfile.prod' }, 6],
      ['payments', ['shop/payments:1'], { context: 'services/payments', dockerfile: 'services/payments/Dockerfile' }, 11],
    ]);
  });

  it('reads the JSON form; a context that is an image or another target is not a folder', async () => {
    const facts = await run('docker-bake.json', '{\n  "target": {\n    "web": { "context": "web", "tags": ["shop/web"] },\n    "tool": { "context": "docker-image://alpine:3.20" }\n  }\n}\n');
    expect(facts?.deployments?.map((d) => [d.name, d.build, d.location.line])).toEqual([
      ['web', { context: 'web', dockerfile: 'web/Dockerfile' }, 3],
      ['tool', null, 4],
    ]);
    expect(await run('docker-bake.hcl', 'group "default" { targets = [] }\n')).toBeNull();
    expect(await run('docker-bake.json', '{ "target": ')).toMatchObject({ diagnostics: [{ file: 'docker-bake.json' }] });
  });
});
