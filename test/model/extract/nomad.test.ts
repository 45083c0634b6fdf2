import { describe, expect, it } from 'vitest';
import extractor from '../../../src/model/extract/nomad.js';
import { parseHcl } from '../../../src/model/extract/hcl.js';
import { runExtractor } from '../../helpers/extract.js';

const job = `# orders job
job "orders" {
  datacenters = ["dc1"]
  group "api" {
    count = 3
    network {
      mode = "bridge"
      port "http" {
        static = 8080
        to     = 80
      }
      port "metrics" { to = 9100 }
    }
    scaling {
      min = 2
      max = 10
    }
    service {
      name = "orders-http"
      port = "http"
      tags = [
        "traefik.enable=true",
        "traefik.http.routers.orders.rule=Host(\`shop.example.com\`) && PathPrefix(\`/orders\`)",
      ]
      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
      }
      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "payments-api"
              local_bind_port  = 9001
            }
          }
        }
      }
    }
    task "migrate" {
      driver = "docker"
      lifecycle { hook = "prestart" }
      config { image = "shop/orders-migrations:1.0" }
    }
    task "orders" {
      driver = "docker"
      config {
        image = "shop/orders:\${var.version}"
        ports = ["http"]
      }
      env {
        PAYMENTS_URL = "http://\${NOMAD_UPSTREAM_ADDR_payments_api}"
        LOG_LEVEL    = "info" // trailing comment
      }
      template {
        data        = <<-EOH
          DB_URL=postgres://{{ env "NOMAD_IP_http" }}:5432/orders
          # a comment
        EOH
        destination = "secrets/app.env"
        env         = true
      }
    }
  }
}
`;

const run = (path: string, text: string) => runExtractor(extractor, path, text);

describe('nomad', () => {
  it('each long-running task is a unit: image, count, scaling, checks, static ports, env, templates and Connect upstreams', async () => {
    const facts = await run('deploy/orders.nomad', job);
    expect(facts?.deployments?.map((d) => d.name)).toEqual(['orders']);
    const [unit] = facts?.deployments ?? [];
    expect(unit).toMatchObject({
      format: 'nomad',
      images: ['shop/orders:${var.version}'],
      replicas: 3,
      autoscaling: true,
      published: ['8080:80'],
      aliases: ['orders-http'],
      location: { file: 'deploy/orders.nomad', line: 46 },
    });
    expect(unit?.pins.map((p) => [p.what, p.location.line])).toEqual([['port "http" { static = 8080 }', 8]]);
    expect(unit?.health.map((h) => [h.what, h.location.line])).toEqual([['check http /health', 25]]);
    expect(unit?.environment.map((s) => [s.key, s.value, s.location.line])).toEqual([
      ['PAYMENTS_URL', 'http://${NOMAD_UPSTREAM_ADDR_payments_api}', 53],
      ['LOG_LEVEL', 'info', 54],
      ['DB_URL', 'postgres://{{ env "NOMAD_IP_http" }}:5432/orders', 58],
      ['NOMAD_UPSTREAM_ADDR_payments_api', 'payments-api:9001', 33],
      ['NOMAD_UPSTREAM_IP_payments_api', 'payments-api', 33],
      ['NOMAD_UPSTREAM_PORT_payments_api', '9001', 33],
    ]);
    expect(facts?.gateways).toEqual([
      {
        implementation: 'traefik',
        runsIn: null,
        routes: [{ path: '/orders', host: 'shop.example.com', upstream: 'orders-http', breaker: false, location: { file: 'deploy/orders.nomad', line: 23 } }],
        location: { file: 'deploy/orders.nomad', line: 18 },
      },
    ]);
  });

  it('without count, static ports, checks, scaling or Traefik tags nothing of the kind is claimed', async () => {
    const text = `job "worker" {
  group "w" {
    network { port "http" { to = 8080 } }
    scaling { enabled = false }
    service {
      name = "worker"
      tags = ["traefik.http.routers.w.rule=PathPrefix(\`/w\`)"]
    }
    task "worker" {
      driver = "raw_exec"
      config {
        command = "bin/worker"
        image   = "not-a-container"
      }
    }
  }
}`;
    const facts = await run('jobs/worker.nomad.hcl', text);
    expect(facts?.deployments?.[0]).toMatchObject({ name: 'worker', images: [], replicas: null, autoscaling: false, published: [], pins: [], health: [], environment: [] });
    expect(facts?.deployments?.[0]?.aliases).toBeUndefined();
    expect(facts?.gateways).toBeUndefined();
  });

  it('HCL files without a job, commented-out jobs, batch jobs and broken non-job files say nothing; a broken job file is a diagnostic', async () => {
    expect(await run('infra/consul.hcl', 'datacenter = "dc1"\nports { grpc = 8502 }\n')).toBeNull();
    expect(await run('infra/old.hcl', '# job "x" {\n/* job "y" { group "g" { task "t" {} } } */\n')).toBeNull();
    expect(await run('infra/terraform.hcl', 'locals { a = [ }')).toBeNull();
    expect(await run('jobs/broken.nomad', 'job "x" {\n  group "g" {\n')).toMatchObject({ diagnostics: [{ file: 'jobs/broken.nomad', message: expect.stringContaining('Nomad job') }] });
    expect(await run('app/docker-bake.hcl', job)).toBeNull();
    expect(await run('jobs/report.nomad', job.replace('datacenters = ["dc1"]', 'type = "batch"'))).toBeNull();
  });
});

describe('hcl', () => {
  it('reads blocks, attributes, strings with nested interpolations, heredocs, lists, objects and raw expressions', () => {
    const body = parseHcl(`a = "x \${lookup(m, "k")} y" # c
b = [1, true, null, "s",]
c = { k = "v", "q": 2 }
d = var.region == "eu" ? 1 : 2
e = <<EOT
line one
EOT
blk "l1" l2 { inner = -1.5 }
`);
    const values = Object.fromEntries(body.attributes.map((a) => [a.name, a.value]));
    expect(values['a']).toMatchObject({ kind: 'literal', value: 'x ${lookup(m, "k")} y', line: 1 });
    expect(values['b']).toMatchObject({ kind: 'list', items: [{ value: 1 }, { value: true }, { value: null }, { value: 's' }] });
    expect(values['c']).toMatchObject({ kind: 'object', entries: [{ key: 'k', value: { value: 'v' } }, { key: 'q', value: { value: 2 } }] });
    expect(values['d']).toMatchObject({ kind: 'raw', text: 'var.region == "eu" ? 1 : 2', line: 4 });
    expect(values['e']).toMatchObject({ kind: 'literal', value: 'line one\n', line: 5 });
    expect(body.blocks).toMatchObject([{ type: 'blk', labels: ['l1', 'l2'], line: 8, body: { attributes: [{ name: 'inner', value: { value: -1.5 } }] } }]);
  });

  it('refuses what is not HCL with the line, and deep nesting without overflowing the stack', () => {
    expect(() => parseHcl('a = 1\nb = "open\n')).toThrow(/unterminated string/);
    expect(() => parseHcl('x {\n 5 = 2\n}')).toThrowError(expect.objectContaining({ line: 2 }));
    expect(() => parseHcl(`a = ${'['.repeat(5000)}`)).toThrow(/nested too deeply/);
  });
});
