/**
 * What an end-to-end test makes on the machine's shared PostgreSQL and
 * RabbitMQ, named after the test and its process, and removed afterwards,
 * even when the test fails:
 *
 * - databases `archkit_<label>_<pid>_<name>`: dropped by `tearDown`;
 * - a RabbitMQ virtual host `archkit-<label>-<pid>` for the services' queues
 *   and exchanges: deleted by `tearDown`, with everything in it, whatever
 *   names the generated code chose (retry and dead-letter queues included).
 *
 * A run that could not tidy up (killed, timed out) is tidied by the next
 * one: `setUp` removes the databases and virtual hosts of test processes that
 * no longer exist.
 */
import { execa } from 'execa';
import { psql } from './e2e.js';

const DATABASE = /^archkit_[a-z]+_(\d+)_[a-z0-9_]+$/;
// The names tests gave before this helper: archkit_<label>_<name>_<pid>.
const OLD_DATABASE = /^archkit_[a-z]+_[a-z0-9_]+?_(\d+)$/;
const VHOST = /^archkit-[a-z]+-(\d+)$/;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function rabbitmqctl(args: string[]): Promise<string> {
  const run = await execa('rabbitmqctl', ['-q', ...args], { reject: false, timeout: 60_000 });
  if (run.exitCode !== 0) throw new Error(`rabbitmqctl ${args.join(' ')}: ${run.stderr || run.stdout || run.message}`);
  return run.stdout;
}

export interface Scratch {
  /** A database name of this test: `archkit_<label>_<pid>_<name>`. */
  database(name: string): string;
  /** The prefix of every database name of this test (for a workspace whose databases are named after it). */
  readonly prefix: string;
  /** The virtual host of this test, once `setUp` made it ('/' where rabbitmqctl cannot be used outside CI). */
  vhost: string;
  /** `amqp://guest:guest@127.0.0.1:<port>/<vhost>`. */
  amqpUrl(port?: number): string;
  setUp(options?: { rabbitmq?: boolean }): Promise<void>;
  tearDown(): Promise<void>;
}

export function scratch(label: string): Scratch {
  const prefix = `archkit_${label}_${process.pid}_`;
  const state: Scratch = {
    prefix,
    vhost: '/',
    database: (name) => `${prefix}${name.replaceAll('-', '_')}`,
    amqpUrl: (port = 5672) => `amqp://guest:guest@127.0.0.1:${port}/${encodeURIComponent(state.vhost)}`,
    async setUp({ rabbitmq = false } = {}) {
      await sweep(rabbitmq);
      if (!rabbitmq) return;
      const vhost = `archkit-${label}-${process.pid}`;
      try {
        await rabbitmqctl(['add_vhost', vhost]);
        state.vhost = vhost;
        await rabbitmqctl(['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
      } catch (error) {
        if (process.env.CI) throw error;
        console.warn(`rabbitmqctl unusable (${(error as Error).message}): this test's queues and exchanges go to the default virtual host and stay there`);
      }
    },
    async tearDown() {
      const names = (await psql('postgres', `SELECT datname FROM pg_database WHERE starts_with(datname, '${prefix}')`).catch(() => '')).split('\n').filter(Boolean);
      for (const name of names) await psql('postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      if (state.vhost !== '/') await rabbitmqctl(['delete_vhost', state.vhost]);
    },
  };
  return state;
}

/** Removes the databases and virtual hosts of earlier test processes that are gone. */
async function sweep(rabbitmq: boolean): Promise<void> {
  const databases = (await psql('postgres', "SELECT datname FROM pg_database WHERE starts_with(datname, 'archkit_')").catch(() => '')).split('\n').filter(Boolean);
  for (const name of databases) {
    const pid = Number((DATABASE.exec(name) ?? OLD_DATABASE.exec(name))?.[1]);
    if (pid > 0 && !alive(pid)) await psql('postgres', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
  }
  if (!rabbitmq) return;
  const vhosts = (await rabbitmqctl(['list_vhosts', 'name']).catch(() => '')).split('\n').map((line) => line.trim());
  for (const vhost of vhosts) {
    const pid = Number(VHOST.exec(vhost)?.[1]);
    if (pid > 0 && !alive(pid)) await rabbitmqctl(['delete_vhost', vhost]).catch(() => undefined);
  }
}
