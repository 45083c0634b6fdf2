/** `arch graph [path]`: the architecture as Mermaid, DOT or JSON. */
import { Command, Option } from 'commander';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../io.js';
import { settleFirst } from './check.js';

const FORMATS = ['mermaid', 'dot', 'json'] as const;

export function graphCommand(io: CliIo): Command {
  return new Command('graph')
    .description('Draw the architecture: services, databases, topics and queues, sync (solid) and async (dashed) edges')
    .argument('[path]', 'repository to draw', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('mermaid'))
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .option('--no-databases', 'leave databases out')
    .option('--no-channels', 'draw async edges between services instead of topic and queue nodes')
    .addHelpText('after', '\nExamples:\n  $ npx arch graph > architecture.mmd\n  $ npx arch graph --format dot | dot -Tsvg > architecture.svg\n  $ npx arch graph --format json --out graph.json\n')
    .action(async (target: string, flags: { format: (typeof FORMATS)[number]; out?: string; databases: boolean; channels: boolean }) => {
      const root = path.resolve(io.cwd, target);
      if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`${target} is not a directory`);
      await settleFirst(root, 'graph', io);
      const [{ scan }, { renderers }] = await Promise.all([import('../../model/scan.js'), import('../../graph/renderers/index.js')]);
      const model = await scan(root, { source: true });
      const text = (await renderers[flags.format]())(model, { databases: flags.databases, channels: flags.channels });
      if (flags.out) {
        try {
          writeFileSync(path.resolve(io.cwd, flags.out), text);
        } catch (error) {
          const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'its folder does not exist' : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
          throw new UsageError(`cannot write --out ${flags.out}: ${reason}`);
        }
      } else io.stdout.write(text);
    });
}
