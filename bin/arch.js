#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts a CommonJS entry 5-12 ms sooner than an ES module.
'use strict';

/** Runs the CLI as `bin`: top-level help and version print text prebuilt by build.mjs, without loading the CLI bundle. */
function run(bin) {
  const prebuilt = require('../dist/bin/help.cjs').printPrebuilt(bin);
  if (prebuilt !== undefined) {
    process.exitCode = prebuilt;
  } else {
    require('../dist/bin/launch.cjs')
      .launch(bin)
      .then((code) => {
        process.exitCode = code;
      });
  }
}

if (require.main === module) run('arch');
module.exports = run;
