import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { LOCK_NAME, acquireLock, currentProcess, isAlive } from '../../src/generate/lock.js';
import { deadPid } from '../helpers/processes.js';
import { tmpDir } from '../helpers/tmp.js';

function recordingLog() {
  const lines: string[] = [];
  return { lines, info: (line: string) => void lines.push(line) };
}

const lockFiles = (root: string) => readdirSync(root).filter((e) => e.startsWith(LOCK_NAME)).sort();
const record = (pid: number, extra: Record<string, unknown> = {}) => JSON.stringify({ pid, command: 'create-service', nonce: `n-${pid}-${Math.random()}`, ...extra });

describe('workspace lock', () => {
  it('names its process while held and leaves nothing behind when released', async () => {
    const root = tmpDir();
    const lock = await acquireLock(root, { command: 'create-service', log: recordingLog() });
    expect(lockFiles(root)).toEqual([LOCK_NAME]);
    const held = JSON.parse(readFileSync(path.join(root, LOCK_NAME), 'utf8')) as Record<string, unknown>;
    expect(held).toMatchObject({ pid: process.pid, command: 'create-service' });
    lock.release();
    lock.release();
    expect(readdirSync(root)).toEqual([]);
  });

  it('a second taker waits for a live holder, says so once, and gives up with one line (exit 2)', async () => {
    const root = tmpDir();
    const first = await acquireLock(root, { command: 'add-saga', log: recordingLog() });
    const log = recordingLog();
    const error = await acquireLock(root, { command: 'create-service', log, timeoutMs: 300, pollMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toBe(`another archkit command (add-saga, pid ${process.pid}) is still writing to ${root} after 0.3 s`);
    expect((error as UsageError).message).not.toMatch(/\n/);
    expect(log.lines).toEqual([`Waiting for another archkit command (add-saga, pid ${process.pid}) to finish writing to this workspace…`]);
    // The waiter's own record is gone; the holder's lock is untouched.
    expect(lockFiles(root)).toEqual([LOCK_NAME]);
    first.release();
  });

  it('a waiting taker gets the lock once the holder releases it', async () => {
    const root = tmpDir();
    const first = await acquireLock(root, { command: 'add-saga', log: recordingLog() });
    const order: string[] = [];
    const second = acquireLock(root, { command: 'create-service', log: recordingLog(), pollMs: 10 }).then((lock) => {
      order.push('second acquired');
      return lock;
    });
    await new Promise((resolve) => setImmediate(resolve));
    order.push('first released');
    first.release();
    const lock = await second;
    expect(order).toEqual(['first released', 'second acquired']);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ command: 'create-service' });
    lock.release();
    expect(readdirSync(root)).toEqual([]);
  });

  it('breaks a lock whose process is gone, and removes what dead processes left of the protocol', async () => {
    const root = tmpDir();
    const dead = deadPid();
    writeFileSync(path.join(root, LOCK_NAME), record(dead));
    writeFileSync(path.join(root, `${LOCK_NAME}.leftover`), record(dead));
    writeFileSync(path.join(root, `${LOCK_NAME}.someone-alive`), record(process.pid));
    const log = recordingLog();
    const lock = await acquireLock(root, { command: 'create-service', log, timeoutMs: 1000 });
    expect(log.lines).toEqual([]);
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, command: 'create-service' });
    expect(lockFiles(root)).toEqual([LOCK_NAME, `${LOCK_NAME}.someone-alive`]);
    lock.release();
  });

  it.for([
    ['unreadable', 'not json'],
    ['empty', ''],
    ['without a pid', JSON.stringify({ nonce: 'x' })],
  ])('breaks a lock whose record is %s', async ([, text]) => {
    const root = tmpDir();
    writeFileSync(path.join(root, LOCK_NAME), text!);
    const lock = await acquireLock(root, { command: 'create-service', log: recordingLog(), timeoutMs: 1000 });
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('waits while a live process breaks a stale lock, and breaks the marker of a breaker that died', async () => {
    const root = tmpDir();
    const stale = record(deadPid());
    writeFileSync(path.join(root, LOCK_NAME), stale);
    const { createHash } = await import('node:crypto');
    const marker = path.join(root, `${LOCK_NAME}.${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`);
    // A live breaker holds the marker: nobody else removes the stale lock.
    writeFileSync(marker, record(process.pid));
    const error = await acquireLock(root, { command: 'create-service', log: recordingLog(), timeoutMs: 200, pollMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(readFileSync(path.join(root, LOCK_NAME), 'utf8')).toBe(stale);
    // The breaker died holding it: its marker is stale too, and broken one level further.
    writeFileSync(marker, record(deadPid()));
    const lock = await acquireLock(root, { command: 'create-service', log: recordingLog(), timeoutMs: 1000 });
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(readdirSync(root)).toEqual([]);
  });

  it('names the holder in its message only by a plain command name (the file may be crafted)', async () => {
    const root = tmpDir();
    writeFileSync(path.join(root, LOCK_NAME), record(process.pid, { command: '\u001b[2J\u001b]0;pwned\u0007create-service' }));
    const log = recordingLog();
    await acquireLock(root, { command: 'check', log, timeoutMs: 50, pollMs: 10 }).catch(() => undefined);
    expect(log.lines).toEqual([`Waiting for another archkit command (archkit, pid ${process.pid}) to finish writing to this workspace…`]);
  });

  it('a process is alive while it runs, dead once it exited', () => {
    expect(isAlive(currentProcess())).toBe(true);
    expect(isAlive({ pid: deadPid() })).toBe(false);
    expect(isAlive({ pid: -1 })).toBe(false);
  });

  it.runIf(existsSync('/proc/self/stat'))('a reused pid is not the process that wrote the record (start times differ)', () => {
    expect(currentProcess().start).toMatch(/^\d+$/);
    expect(isAlive({ pid: process.pid, start: '1' })).toBe(false);
  });
});
