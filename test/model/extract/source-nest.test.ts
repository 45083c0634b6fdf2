import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp.js';
import { at, call, scan, write } from './source-helpers.js';

const nestCall = (fields: Parameters<typeof call>[0]) => call({ kind: 'tcp', client: 'nest:tcp', method: 'send', ...fields });

describe('scanSource: NestJS microservice clients over TCP', () => {
  const gateway = 'services/gateway/src';
  const files = {
    [`${gateway}/tokens.ts`]: "export const Tokens = { PAYMENTS: 'PAYMENTS' } as const;\n",
    [`${gateway}/app.module.ts`]: [
      "import { Module } from '@nestjs/common';",
      "import { ConfigService } from '@nestjs/config';",
      "import { ClientProxyFactory, ClientsModule, Transport } from '@nestjs/microservices';",
      "import { Tokens } from './tokens';",
      '',
      '@Module({',
      '  imports: [',
      "    ClientsModule.register([{ name: 'ORDERS', transport: Transport.TCP, options: { host: process.env.ORDERS_HOST, port: 3001 } }]),",
      '    ClientsModule.registerAsync([',
      '      {',
      "        name: 'BILLING',",
      "        useFactory: (config: ConfigService) => ({ transport: Transport.TCP, options: { host: config.get('services.billing.host'), port: 3002 } }),",
      '        inject: [ConfigService],',
      '      },',
      '      {',
      '        name: Tokens.PAYMENTS,',
      '        useFactory: (config: AppConfig) => {',
      '          const { host, tcpPort: port } = config.payments;',
      '          return { transport: Transport.TCP, options: { host, port } };',
      '        },',
      '      },',
      '    ]),',
      '  ],',
      "  providers: [{ provide: 'IDENTITY', useFactory: (config: ConfigService) => ClientProxyFactory.create(config.get('identity')), inject: [ConfigService] }],",
      '})',
      'export class AppModule {}',
      'interface AppConfig { payments: { host: string; tcpPort: number } }',
      '',
    ].join('\n'),
    [`${gateway}/orders.controller.ts`]: [
      "import { Controller, Get, Inject } from '@nestjs/common';",
      "import { Client, ClientProxy, Transport } from '@nestjs/microservices';",
      "import { Tokens } from './tokens';",
      '',
      "@Controller('orders')",
      'export class OrdersController {',
      "  @Client({ transport: Transport.TCP, options: { host: 'stock', port: 4000 } })",
      '  private readonly stock: ClientProxy;',
      '',
      '  constructor(',
      "    @Inject('ORDERS') private readonly orders: ClientProxy,",
      "    @Inject('BILLING') private readonly billing: ClientProxy,",
      '    @Inject(Tokens.PAYMENTS) private readonly payments: ClientProxy,',
      "    @Inject('IDENTITY') private readonly identity: ClientProxy,",
      '  ) {}',
      '',
      '  @Get()',
      '  async list(ids: string[]) {',
      "    const orders = await this.orders.send({ cmd: 'orders.list' }, {}).toPromise();",
      "    await this.billing.send('billing.totals', orders).toPromise();",
      "    this.orders.emit('orders.viewed', {});",
      "    await Promise.all(ids.map((id) => this.payments.send('payments.status', id).toPromise()));",
      "    await this.identity.send('users.find', {}).toPromise();",
      "    return this.stock.send('stock.levels', {});",
      '  }',
      '}',
      '',
    ].join('\n'),
    'services/users/src/main.ts': [
      "import { NestFactory } from '@nestjs/core';",
      "import { Transport } from '@nestjs/microservices';",
      "import { AppModule } from './app.module';",
      'const app = await NestFactory.createMicroservice(AppModule, { transport: Transport.TCP, options: { port: 3000 } });',
      'await app.listen();',
      '',
    ].join('\n'),
    'services/users/src/users.controller.ts': [
      "import { Controller } from '@nestjs/common';",
      "import { MessagePattern } from '@nestjs/microservices';",
      '@Controller()',
      'export class UsersController {',
      "  @MessagePattern('users.find')",
      '  find() {',
      '    return null;',
      '  }',
      '}',
      '',
    ].join('\n'),
  };

  it('reads each client\'s transport and address from its registration (register, registerAsync, a provider, @Client) and finds the service it calls', async () => {
    const root = tmpDir();
    write(root, files);
    const { facts } = await scan(root, ['gateway', 'users'], ['gateway', 'users', 'orders', 'billing', 'payments', 'stock']);
    const f = `${gateway}/orders.controller.ts`;
    expect(facts('gateway').calls).toEqual([
      // host: process.env.ORDERS_HOST
      nestCall({ url: 'env:ORDERS_HOST', envVar: 'ORDERS_HOST', target: 'orders', location: at(f, 19, 26) }),
      // host: config.get('services.billing.host'): a configuration key
      nestCall({ configKey: 'services.billing.host', target: 'billing', location: at(f, 20, 11) }),
      // an emit over TCP goes to one service and needs it up: a call, not an event
      nestCall({ method: 'emit', url: 'env:ORDERS_HOST', envVar: 'ORDERS_HOST', target: 'orders', location: at(f, 21, 5) }),
      // const { host } = config.payments, through a token that is a constant of another file; one call per id
      nestCall({ target: 'payments', inLoop: true, location: at(f, 22, 39) }),
      // options from a config class say nothing: the one transport of the other clients, and the service that handles 'users.find'
      nestCall({ target: 'users', location: at(f, 23, 11) }),
      // @Client({ options: { host: 'stock', port: 4000 } })
      nestCall({ url: 'stock:4000', target: 'stock', location: at(f, 24, 12) }),
    ]);
    expect(facts('gateway').messaging).toEqual([]);
    // A TCP microservice's request handler consumes nothing.
    expect(facts('users')).toMatchObject({ calls: [], messaging: [] });
  });

  it('leaves the target to the join when neither the address, the pattern nor the token names a service', async () => {
    const root = tmpDir();
    write(root, {
      'services/a/src/a.service.ts': [
        "import { Inject } from '@nestjs/common';",
        "import { ClientProxy, ClientsModule, Transport } from '@nestjs/microservices';",
        "export const clients = ClientsModule.register([{ name: 'DOWNSTREAM', transport: Transport.TCP, options: { host: process.env.DOWNSTREAM_HOST } }]);",
        'export class AService {',
        "  constructor(@Inject('DOWNSTREAM') private readonly client: ClientProxy) {}",
        "  run() { return this.client.send('nobody.handles.this', {}); }",
        '}',
        '',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['a', 'b']);
    expect(facts('a').calls).toEqual([nestCall({ url: 'env:DOWNSTREAM_HOST', envVar: 'DOWNSTREAM_HOST', location: at('services/a/src/a.service.ts', 6, 18) })]);
  });
});

describe('scanSource: NestJS clients whose options come from a config class', () => {
  it('speak TCP when the only transport the service names is TCP, and reach the service their token names', async () => {
    const root = tmpDir();
    const f = 'services/gateway/src/app.module.ts';
    write(root, {
      'services/gateway/src/config.service.ts': [
        "import { Transport } from '@nestjs/microservices';",
        'export class ConfigService {',
        '  private readonly env: Record<string, unknown> = { tokenService: { transport: Transport.TCP, options: { host: process.env.TOKEN_SERVICE_HOST } } };',
        '  get(key: string) { return this.env[key]; }',
        '}',
        '',
      ].join('\n'),
      [f]: [
        "import { Inject } from '@nestjs/common';",
        "import { ClientProxy, ClientProxyFactory } from '@nestjs/microservices';",
        "import { ConfigService } from './config.service';",
        "export const providers = [{ provide: 'TOKEN_SERVICE', useFactory: (config: ConfigService) => ClientProxyFactory.create(config.get('tokenService')), inject: [ConfigService] }];",
        'export class Guard {',
        "  constructor(@Inject('TOKEN_SERVICE') private readonly tokens: ClientProxy) {}",
        "  check() { return this.tokens.send('token_decode', {}); }",
        '}',
        '',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['gateway', 'token']);
    expect(facts('gateway').calls).toEqual([nestCall({ target: 'token', location: at(f, 7, 20) })]);
  });
});

describe('scanSource: NestJS microservice clients over brokers', () => {
  it('makes emits over a broker producers of their pattern, sends request/reply calls, and handlers consumers by the servers\' transport', async () => {
    const root = tmpDir();
    write(root, {
      'services/shop/src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { Transport } from '@nestjs/microservices';",
        "import { AppModule } from './app.module';",
        'const app = await NestFactory.create(AppModule);',
        "app.connectMicroservice({ transport: Transport.RMQ, options: { urls: [process.env.AMQP_URL], queue: 'shop' } });",
        '',
      ].join('\n'),
      'services/shop/src/app.module.ts': [
        "import { ClientsModule, Transport } from '@nestjs/microservices';",
        "export const clients = ClientsModule.register([{ name: 'MAIL', transport: Transport.RMQ, options: { urls: ['amqp://rabbitmq'], queue: 'mail' } }]);",
        '',
      ].join('\n'),
      'services/shop/src/mail-events.ts': "export enum MailEvents {\n  Receipt = 'mail.receipt',\n}\n",
      'services/shop/src/checkout.service.ts': [
        "import { Inject } from '@nestjs/common';",
        "import { ClientKafka, ClientProxy, EventPattern } from '@nestjs/microservices';",
        "import { firstValueFrom } from 'rxjs';",
        "import { MailEvents } from './mail-events';",
        'export class CheckoutService {',
        "  constructor(@Inject('MAIL') private readonly mail: ClientProxy, @Inject('EVENTS') private readonly events: ClientKafka) {}",
        '  async checkout(ids: string[]) {',
        '    this.mail.emit(MailEvents.Receipt, { ids });',
        "    await firstValueFrom(this.mail.send('mail.render', { ids }));",
        "    this.events.emit('checkout.done', {});",
        '  }',
        "  @EventPattern('stock.changed')",
        '  onStock() {}',
        '}',
        '',
      ].join('\n'),
      'services/mailer/src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { Transport } from '@nestjs/microservices';",
        "import { AppModule } from './app.module';",
        "await NestFactory.createMicroservice(AppModule, { transport: Transport.RMQ, options: { queue: 'mail' } });",
        '',
      ].join('\n'),
      'services/mailer/src/mail.controller.ts': [
        "import { MessagePattern } from '@nestjs/microservices';",
        'export class MailController {',
        "  @MessagePattern('mail.receipt')",
        '  receipt() {}',
        "  @MessagePattern('mail.render')",
        '  render() {}',
        '}',
        '',
      ].join('\n'),
      // Its server is TCP: its event handlers consume from no broker, whatever its dependencies.
      'services/legacy/package.json': JSON.stringify({ name: 'legacy', dependencies: { kafkajs: '^2.2.4' } }),
      'services/legacy/src/main.ts': [
        "import { NestFactory } from '@nestjs/core';",
        "import { Transport } from '@nestjs/microservices';",
        "import { AppModule } from './app.module';",
        'await NestFactory.createMicroservice(AppModule, { transport: Transport.TCP });',
        '',
      ].join('\n'),
      'services/legacy/src/c.ts': "import { EventPattern } from '@nestjs/microservices';\nexport class C {\n  @EventPattern('x')\n  on() {}\n}\n",
    });
    const { facts } = await scan(root, ['shop', 'mailer', 'legacy']);
    const f = 'services/shop/src/checkout.service.ts';
    expect(facts('shop').messaging).toEqual([
      { broker: 'rabbitmq', role: 'producer', channel: 'mail.receipt', location: at(f, 8, 5) },
      { broker: 'kafka', role: 'producer', channel: 'checkout.done', location: at(f, 10, 5) },
      { broker: 'rabbitmq', role: 'consumer', channel: 'stock.changed', location: at(f, 12, 3) },
    ]);
    // The caller waits for the reply: a synchronous call over the broker, to the service that handles the pattern.
    expect(facts('shop').calls).toEqual([nestCall({ client: 'nest:rmq', target: 'mailer', location: at(f, 9, 26) })]);
    // 'mail.receipt' is emitted: its handler consumes it; 'mail.render' is only sent.
    expect(facts('mailer').messaging).toEqual([{ broker: 'rabbitmq', role: 'consumer', channel: 'mail.receipt', location: at('services/mailer/src/mail.controller.ts', 3, 3) }]);
    expect(facts('legacy').messaging).toEqual([]);
  });
});

describe('scanSource: NestJS gRPC clients', () => {
  it('takes getService on a gRPC client as a gRPC call to its url, or to the service whose @GrpcMethod serves it', async () => {
    const root = tmpDir();
    write(root, {
      'services/web/src/heroes.client.ts': [
        "import { Inject, OnModuleInit } from '@nestjs/common';",
        "import { ClientGrpc, ClientsModule, Transport } from '@nestjs/microservices';",
        "export const clients = ClientsModule.register([{ name: 'HERO', transport: Transport.GRPC, options: { package: 'hero', url: 'localhost:5000' } }]);",
        'export class HeroesClient implements OnModuleInit {',
        '  private heroes: unknown;',
        "  constructor(@Inject('HERO') private readonly client: ClientGrpc) {}",
        '  onModuleInit() {',
        "    this.heroes = this.client.getService('HeroesService');",
        '  }',
        '}',
        '',
      ].join('\n'),
      'services/heroes/src/heroes.controller.ts': [
        "import { GrpcMethod } from '@nestjs/microservices';",
        'export class HeroesController {',
        "  @GrpcMethod('HeroesService', 'FindOne')",
        '  findOne() {}',
        '}',
        '',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['web', 'heroes']);
    expect(facts('web').calls).toEqual([
      call({ kind: 'grpc', client: 'nest:grpc', method: null, url: 'localhost:5000', target: 'heroes', location: at('services/web/src/heroes.client.ts', 8, 19) }),
    ]);
  });
});

describe('scanSource: NestJS clients in a monorepo', () => {
  it('follows a client from a field into a local (its transport with it), and takes an unknown transport\'s broker from the nearest package.json above the app', async () => {
    const root = tmpDir();
    write(root, {
      'package.json': JSON.stringify({ name: 'mono', dependencies: { '@nestjs/microservices': '^10.0.0', amqplib: '^0.10.3' } }),
      'apps/admin/package.json': JSON.stringify({ name: 'admin', dependencies: { graphql: '^16.0.0' } }),
      'apps/admin/src/admin.service.ts': [
        "import { Inject } from '@nestjs/common';",
        "import { ClientProxy } from '@nestjs/microservices';",
        'export class AdminService {',
        "  constructor(@Inject('ROOT_QUEUE') private readonly root: ClientProxy) {}",
        "  ban(id: string) { this.root.emit('user.banned', id); }",
        '}',
        '',
      ].join('\n'),
      'apps/billing/src/outbox.worker.ts': [
        "import { ClientKafka, ClientProxy } from '@nestjs/microservices';",
        'export class Outbox {',
        '  private bus: ClientProxy;',
        '  constructor() {',
        "    this.bus = new ClientKafka({ client: { brokers: ['kafka:9092'] } });",
        '  }',
        '  run(rows: Array<{ event: string }>) {',
        '    const bus = this.bus;',
        "    return rows.map((row) => bus.emit('billing.paid', row));",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['admin=apps/admin', 'billing=apps/billing']);
    expect(facts('admin').messaging).toEqual([{ broker: 'rabbitmq', role: 'producer', channel: 'user.banned', location: at('apps/admin/src/admin.service.ts', 5, 21) }]);
    expect(facts('admin').calls).toEqual([]);
    expect(facts('billing').messaging).toEqual([{ broker: 'kafka', role: 'producer', channel: 'billing.paid', location: at('apps/billing/src/outbox.worker.ts', 9, 30) }]);
  });
});
