/**
 * Every template set rendered from hostile text (the workspace's and the services' descriptions, which later
 * generators read back): every file parses, and no file holds a line break other than LF, so a reader that ends
 * lines elsewhere (YAML 1.1 at NEL, LS and PS; JavaScript at LS and PS) sees the same lines.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotDir } from '../helpers/fs-snapshot.js';
import { generate } from '../helpers/generate.js';
import { HOSTILE, strayLineBreaks } from '../helpers/hostile.js';
import { expectParses } from '../helpers/parses.js';
import { tmpDir } from '../helpers/tmp.js';

/** Every hostile text in one description. */
const DESCRIPTION = HOSTILE.join(' | ');

describe('every template set with hostile text', () => {
  it.for([
    { broker: 'rabbitmq', style: 'orchestration' },
    { broker: 'kafka', style: 'choreography' },
  ])('$broker, $style saga: every file parses and holds no line break but LF', { timeout: 120_000 }, async ({ broker, style }) => {
    const cwd = tmpDir();
    await generate('workspace', { dir: '.', name: 'shop', description: DESCRIPTION }, { cwd });
    for (const name of ['orders', 'payments', 'inventory']) await generate('service', { name, description: DESCRIPTION }, { cwd });
    await generate('gateway', {}, { cwd });
    await generate('producer', { service: 'orders', broker, topic: 'order-created' }, { cwd });
    await generate('consumer', { service: 'payments', broker, topic: 'order-created' }, { cwd });
    await generate('saga', { name: 'place-order', style, steps: 'orders,payments,inventory', broker }, { cwd });
    rmSync(path.join(cwd, 'compose.yaml'));
    await generate('compose', {}, { cwd });
    // The packed archkit (tools/*.tgz) is bytes, not text a template made.
    const files = Object.fromEntries(Object.entries(snapshotDir(cwd)).filter(([file]) => !file.endsWith('.tgz')));
    expectParses(files);
    const stray = Object.entries(files).flatMap(([file, content]) => strayLineBreaks(content).map((at) => `${file}: ${at}`));
    expect(stray).toEqual([]);
    expect(files['compose.yaml']!.split('\n')[0]).toMatch(/^# .*x-injected: pwned/);
  });
});
