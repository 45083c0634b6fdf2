#!/usr/bin/env node
import { launch } from '../dist/bin/launch.js';

process.exitCode = await launch('create-service');
