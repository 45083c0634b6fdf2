#!/usr/bin/env node
import { createRequire } from 'node:module';

// The launcher is CommonJS: Node loads it faster than an ES module.
const { launch } = createRequire(import.meta.url)('../dist/bin/launch.cjs');
process.exitCode = await launch('arch');
