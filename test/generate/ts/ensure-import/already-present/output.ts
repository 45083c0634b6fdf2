import { loadConfig, other } from './config.js';
