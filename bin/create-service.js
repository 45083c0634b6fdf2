#!/usr/bin/env node
// The same CLI, with `create-service` as the command (`npx create-service orders`).
'use strict';

require('./arch.js')('create-service');
