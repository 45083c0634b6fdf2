import { loadConfig, type Config } from './config.js';
import { a } from './x.js';
