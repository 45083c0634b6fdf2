import { describe, expect, it } from 'vitest';
import goMod from '../../../src/model/extract/go-mod.js';
import { capabilitiesOf } from '../../../src/model/knowledge/index.js';
import { runExtractor } from '../../helpers/extract.js';

const GO_MOD = [
  '// the orders service',
  'module example.com/shop/orders',
  '',
  'go 1.22',
  '',
  'require github.com/sony/gobreaker/v2 v2.1.0',
  '',
  'require (',
  '\tgithub.com/rabbitmq/amqp091-go v1.10.0',
  '\t"google.golang.org/grpc" v1.64.0 // a quoted path',
  '\tgolang.org/x/net v0.26.0 // indirect',
  ')',
  '',
  'replace example.com/shop/shared => ../shared',
  'replace (',
  '\texample.com/shop/proto v0.0.0 => ./proto',
  '\tgithub.com/old/lib => github.com/new/lib v1.2.3',
  '\texample.com/outside => ../../../elsewhere',
  ')',
].join('\n');

describe('go-mod', () => {
  it('reads the module as a build unit, with local replace targets as references', async () => {
    const facts = await runExtractor(goMod, 'services/orders/go.mod', GO_MOD);
    expect(facts?.unit).toEqual({
      kind: 'go',
      dir: 'services/orders',
      name: 'example.com/shop/orders',
      executable: null,
      parent: null,
      modules: [],
      references: ['services/shared', 'services/orders/proto'],
      images: [],
      location: { file: 'services/orders/go.mod', line: 2 },
    });
  });

  it('lists required modules (single-line and block, indirect ones too) with their lines', async () => {
    const facts = await runExtractor(goMod, 'go.mod', GO_MOD);
    expect(facts?.dependencies?.map((d) => [d.name, d.scope, d.location.line])).toEqual([
      ['github.com/sony/gobreaker/v2', 'runtime', 6],
      ['github.com/rabbitmq/amqp091-go', 'runtime', 9],
      ['google.golang.org/grpc', 'runtime', 10],
      ['golang.org/x/net', 'runtime', 11],
    ]);
    expect(facts?.unit?.dir).toBe('.');
  });

  it('does not take replace targets that are modules, or folders outside the repository, for references', async () => {
    const facts = await runExtractor(goMod, 'go.mod', 'module m\nreplace a => github.com/b/c v1.0.0\nreplace d => ../outside\n');
    expect(facts?.unit?.references).toEqual([]);
    expect(facts?.dependencies).toBeUndefined();
  });

  it('reads only go.mod files', async () => {
    expect(await runExtractor(goMod, 'go.sum', GO_MOD)).toBeNull();
    expect(await runExtractor(goMod, 'go.work', 'go 1.22\nuse ./orders\n')).toBeNull();
  });

  it('knows what the modules give: breaker, broker, grpc; nothing for the rest', () => {
    const of = (name: string) => capabilitiesOf({ ecosystem: 'go', name });
    expect(of('github.com/sony/gobreaker/v2')).toEqual([{ kind: 'breaker' }]);
    expect(of('github.com/rabbitmq/amqp091-go')).toEqual([{ kind: 'broker', broker: 'rabbitmq' }]);
    expect(of('github.com/IBM/sarama')).toEqual([{ kind: 'broker', broker: 'kafka' }]);
    expect(of('go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc')).toEqual([{ kind: 'tracing', exports: true }]);
    expect(of('go.opentelemetry.io/otel/sdk')).toEqual([{ kind: 'tracing', exports: false }]);
    expect(of('github.com/grpc-ecosystem/grpc-gateway/v2')).toEqual([{ kind: 'gateway', implementation: 'grpc-gateway' }]);
    expect(of('github.com/jackc/pgx/v5')).toEqual([{ kind: 'database', engine: 'postgres' }]);
    expect(of('github.com/avast/retry-go/v4')).toEqual([{ kind: 'retry' }]);
    expect(of('golang.org/x/net')).toEqual([]);
    expect(of('github.com/sony/gobreakers')).toEqual([]);
  });
});
