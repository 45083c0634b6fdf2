import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp.js';
import { at, scan, write } from './source-helpers.js';

describe('scanSource: health routes', () => {
  it('finds NestJS health handlers by decorator, name or answer, under the global prefix unless excluded', async () => {
    const root = tmpDir();
    const dir = 'services/api/src';
    write(root, {
      [`${dir}/main.ts`]: [
        "import { NestFactory } from '@nestjs/core';",
        "import { AppModule } from './app.module';",
        'const app = await NestFactory.create(AppModule);',
        "app.setGlobalPrefix('api', { exclude: ['ready'] });",
        'await app.listen(3000);',
        '',
      ].join('\n'),
      [`${dir}/app.controller.ts`]: [
        "import { Controller, Get } from '@nestjs/common';",
        "import { HealthCheck } from '@nestjs/terminus';",
        '@Controller()',
        'export class AppController {',
        '  @Get()',
        '  root() {',
        "    return 'status: OK';",
        '  }',
        "  @Get('health-check')",
        '  check() {}',
        "  @Get('ready')",
        '  @HealthCheck()',
        '  ready() {}',
        "  @Get('liveness-probe')",
        '  healthCheck() {}',
        '}',
        '',
      ].join('\n'),
      // Not health: a greeting on '/', a business route answering 'ok'.
      [`${dir}/hello.controller.ts`]: [
        "import { Controller, Get } from '@nestjs/common';",
        "@Controller('hello')",
        'export class HelloController {',
        '  @Get()',
        '  hello() {',
        "    return 'Hello World!';",
        '  }',
        "  @Get('cancel')",
        '  cancel() {',
        "    return { status: 'ok' };",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['api']);
    const f = `${dir}/app.controller.ts`;
    expect(facts('api').healthRoutes).toEqual([
      { path: '/api', location: at(f, 5, 3) },
      { path: '/api/health-check', location: at(f, 9, 3) },
      { path: '/ready', location: at(f, 11, 3) },
      { path: '/api/liveness-probe', location: at(f, 14, 3) },
    ]);
  });

  it('finds Express, Koa and Fastify routes on /status, /ping and /healthz', async () => {
    const root = tmpDir();
    const f = 'services/web/src/app.js';
    write(root, {
      [f]: [
        "const express = require('express');",
        "const Router = require('@koa/router');",
        'const app = express();',
        'const router = new Router();',
        "app.get('/status', (req, res) => res.json({ ok: true }));",
        "router.get('/ping', (ctx) => { ctx.body = 'pong'; });",
        "fastify.get('/healthz', async () => ({ ok: true }));",
        "app.get('/orders', (req, res) => res.json([]));",
        '',
      ].join('\n'),
    });
    const { facts } = await scan(root, ['web']);
    expect(facts('web').healthRoutes.map((r) => r.path)).toEqual(['/status', '/ping', '/healthz']);
  });
});
