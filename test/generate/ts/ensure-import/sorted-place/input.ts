import { buildApp } from './app.js';
import { createLogger } from './logger.js';
import { registerShutdown } from './shutdown.js';

await registerShutdown(buildApp(createLogger()));
