import { buildApp } from './app.js';
import { createLogger } from './logger.js';
import { connectRabbitMq, rabbitmqCheck } from './messaging/rabbitmq.js';
import { registerShutdown } from './shutdown.js';
import { last } from './zz.js';

await registerShutdown(buildApp(createLogger()));
