#!/usr/bin/env node
// `arch` under a name no system command shadows (Linux's coreutils has an `arch`): for a global install.
'use strict';

require('./arch.js')('archkit');
