import { loadConfig } from './config.js';
import { a } from './x.js';
