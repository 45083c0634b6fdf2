import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp.js';
import { at, scan, write } from './source-helpers.js';

describe('scanSource: Nest and Nx monorepos', () => {
  it('resolves tsconfig paths and baseUrl: imports into another app are cross-service imports, into a shared lib they are not', async () => {
    const root = tmpDir();
    const f = 'apps/orders/src/orders.service.ts';
    write(root, {
      // A comment, a trailing comma: tsconfig is JSON with comments.
      'tsconfig.json': '{\n  // Nest monorepo\n  "compilerOptions": { "baseUrl": "./", "paths": { "@app/common": ["libs/common/src"], "@app/common/*": ["libs/common/src/*"], "@app/billing/*": ["apps/billing/src/*"], }, },\n}\n',
      'libs/common/src/index.ts': "export * from './tokens';\n",
      'libs/common/src/tokens.ts': "export const CLIENT_A = 'A';\nexport enum BillingPatterns {\n  Charge = 'billing.charge',\n}\nexport const ping = () => fetch('http://billing:3000/ping');\n",
      'apps/billing/src/invoice.ts': 'export interface Invoice { id: string }\nexport class InvoiceError extends Error {}\n',
      'apps/billing/src/dto.ts': 'export class ChargeDto {}\n',
      // A library of one service is its code; one shared by several is no one's.
      'libs/orders-domain/src/pricing.ts': "export const price = (id: string) => fetch(`http://catalog:3000/prices/${id}`);\n",
      'apps/billing/src/billing.controller.ts': [
        "import { MessagePattern } from '@nestjs/microservices';",
        "import { CLIENT_A } from '@app/common';",
        'void CLIENT_A;',
        'export class BillingController {',
        "  @MessagePattern('billing.charge')",
        '  charge() {}',
        '}',
        '',
      ].join('\n'),
      [f]: [
        "import { Inject } from '@nestjs/common';",
        "import { ClientProxy, ClientsModule, Transport } from '@nestjs/microservices';",
        "import { CLIENT_A, BillingPatterns } from '@app/common';",
        "import { ping } from '@app/common/tokens';",
        "import { InvoiceError } from 'apps/billing/src/invoice';",
        "import type { Invoice } from 'apps/billing/src/invoice';",
        "import { ChargeDto } from '@app/billing/dto';",
        "import { Observable } from 'rxjs';",
        "import { price } from '../../../libs/orders-domain/src/pricing';",
        'export const clients = ClientsModule.register([{ name: CLIENT_A, transport: Transport.TCP }]);',
        'export class OrdersService {',
        '  constructor(@Inject(CLIENT_A) private readonly billing: ClientProxy) {}',
        '  charge(invoice: Invoice): Observable<ChargeDto> {',
        '    if (!invoice) throw new InvoiceError();',
        '    void ping;',
        "    void price('x');",
        '    return this.billing.send(BillingPatterns.Charge, invoice);',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const { facts, parsed } = await scan(root, ['orders=apps/orders', 'billing=apps/billing'], ['orders', 'billing', 'catalog']);
    // A type-only import of another service's code still couples the builds: it is a crossing too.
    expect(facts('orders').crossImports).toEqual([
      { specifier: 'apps/billing/src/invoice', target: 'billing', location: at(f, 5, 1) },
      { specifier: 'apps/billing/src/invoice', target: 'billing', location: at(f, 6, 1) },
      { specifier: '@app/billing/dto', target: 'billing', location: at(f, 7, 1) },
    ]);
    // The pattern is a constant of the shared lib ('billing.charge', which billing handles); the shared lib's own call
    // (to billing) belongs to no service, the call of orders' own lib is orders'.
    expect(facts('orders').calls).toEqual([
      { kind: 'tcp', client: 'nest:tcp', method: 'send', url: null, target: 'billing', envVar: null, breaker: false, inLoop: false, location: at(f, 17, 12) },
      { kind: 'http', client: 'fetch', method: 'GET', url: 'http://catalog:3000/prices/${id}', target: 'catalog', envVar: null, breaker: false, inLoop: false, location: at('libs/orders-domain/src/pricing.ts', 1, 38) },
    ]);
    expect(facts('billing').calls).toEqual([]);
    expect(parsed).toBe(7);
  });

  it('follows tsconfig extends (Nx: an app\'s tsconfig.json over tsconfig.base.json) and a service\'s own baseUrl', async () => {
    const root = tmpDir();
    write(root, {
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { paths: { '@acme/payments-api': ['apps/payments/src/index.ts'] } } }),
      'apps/checkout/tsconfig.json': JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { strict: true } }),
      'apps/checkout/src/main.ts': "import { pay } from '@acme/payments-api';\nimport express from 'express';\nvoid pay;\nvoid express;\n",
      'apps/payments/src/index.ts': 'export const pay = () => undefined;\n',
      // A standalone service whose tsconfig has baseUrl './': `src/events` is its own file, not a package.
      'auth/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: './' } }),
      'auth/src/events/index.ts': "export enum KAFKA_EVENTS {\n  'user_created' = 'user_created',\n}\n",
      'auth/src/auth.service.ts': [
        "import { Inject } from '@nestjs/common';",
        "import { ClientKafka } from '@nestjs/microservices';",
        "import { KAFKA_EVENTS } from 'src/events';",
        'export class AuthService {',
        "  constructor(@Inject('MAIL') private readonly mail: ClientKafka) {}",
        '  signup() {',
        '    this.mail.emit(KAFKA_EVENTS.user_created, {});',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['checkout=apps/checkout', 'payments=apps/payments', 'auth=auth']);
    expect(facts('checkout').crossImports).toEqual([{ specifier: '@acme/payments-api', target: 'payments', location: at('apps/checkout/src/main.ts', 1, 1) }]);
    expect(facts('auth').messaging).toEqual([{ broker: 'kafka', role: 'producer', channel: 'user_created', location: at('auth/src/auth.service.ts', 7, 5) }]);
  });

  it('leaves packages to node_modules when a catch-all alias names no file of the repository', async () => {
    const root = tmpDir();
    write(root, {
      'services/bff/tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: './src', paths: { '*': ['src/types/*'] } } }),
      'services/bff/src/types/dataloader.d.ts': 'export {};\n',
      'services/bff/src/orders.ts': "import fetch from 'node-fetch';\nexport const list = () => fetch('http://orders:8080/orders');\n",
    });
    const { facts } = await scan(root, ['bff'], ['bff', 'orders']);
    expect(facts('bff').calls.map((c) => [c.client, c.target])).toEqual([['fetch', 'orders']]);
  });
});
