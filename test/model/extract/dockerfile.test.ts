import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dockerfileEnvironment, dockerfileFacts, parseDockerfile, readDockerfile } from '../../../src/model/extract/dockerfile.js';
import { createReader } from '../../../src/model/read.js';
import { tmpDir } from '../../helpers/tmp.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/repos/${name}/`, import.meta.url));

const facts = (text: string) => dockerfileFacts('Dockerfile', parseDockerfile(text));

describe('parseDockerfile', () => {
  it('joins continuations, drops comments inside them, skips heredoc bodies, keeps line numbers', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      '',
      'from node:22 as build',
      'RUN npm ci \\',
      '  # a comment inside a continuation',
      '  && npm run build',
      'RUN <<EOF',
      'USER root',
      'EOF',
      'COPY <<-CONF /etc/app.conf',
      '\tUSER inside',
      '\tCONF',
      '  healthcheck CMD true',
      'RUN echo "trailing" \\',
    ].join('\n');
    expect(parseDockerfile(text)).toEqual([
      { keyword: 'FROM', args: 'node:22 as build', line: 3 },
      { keyword: 'RUN', args: 'npm ci && npm run build', line: 4 },
      { keyword: 'RUN', args: '<<EOF', line: 7 },
      { keyword: 'COPY', args: '<<-CONF /etc/app.conf', line: 10 },
      { keyword: 'HEALTHCHECK', args: 'CMD true', line: 13 },
      { keyword: 'RUN', args: 'echo "trailing"', line: 14 },
    ]);
  });

  it('honours the escape parser directive', () => {
    const text = ['# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN dir C:\\ `', '  && echo done', 'USER ContainerUser'].join('\r\n');
    expect(parseDockerfile(text)).toEqual([
      { keyword: 'FROM', args: 'mcr.microsoft.com/windows/servercore:ltsc2022', line: 2 },
      { keyword: 'RUN', args: 'dir C:\\ && echo done', line: 3 },
      { keyword: 'USER', args: 'ContainerUser', line: 5 },
    ]);
  });
});

describe('dockerfileEnvironment', () => {
  it("the last stage's ENV, in both forms, quoted or not; an earlier stage's is not the image's", () => {
    const text = [
      'FROM alpine AS build',
      'ENV BUILD_ONLY=1',
      'FROM nginx:1.27',
      'ENV CATALOGUE_HOST=catalogue \\',
      '    USER_HOST="user" GREETING="hello world"',
      'ENV LEGACY legacy value',
      'RUN echo $CATALOGUE_HOST',
    ].join('\n');
    expect(dockerfileEnvironment(parseDockerfile(text)).map(({ key, value, line }) => [key, value, line])).toEqual([
      ['CATALOGUE_HOST', 'catalogue', 4],
      ['USER_HOST', 'user', 4],
      ['GREETING', 'hello world', 4],
      ['LEGACY', 'legacy value', 6],
    ]);
  });

  it('reads a long instruction in one pass: a word of a million letters without `=` before a pair', () => {
    const text = `FROM nginx\nENV ${'a'.repeat(1_000_000)} B=c D="e\\"f" G=h\\ i\n`;
    expect(dockerfileEnvironment(parseDockerfile(text)).map(({ key, value }) => [key, value])).toEqual([
      ['B', 'c'],
      ['D', 'e"f'],
      ['G', 'h i'],
    ]);
  });
});

describe('dockerfileFacts', () => {
  it('takes HEALTHCHECK and USER from the final stage only', () => {
    expect(facts('FROM node:22 AS build\nUSER node\nHEALTHCHECK CMD true\nFROM node:22-slim\nCMD ["node"]\n')).toEqual({
      file: 'Dockerfile',
      healthcheck: false,
      user: null,
      baseImages: ['node:22', 'node:22-slim'],
    });
  });

  it('inherits them from an earlier stage the final one is built FROM, and HEALTHCHECK NONE turns it off', () => {
    expect(facts('FROM node:22 AS Base\nUSER node\nHEALTHCHECK --interval=5s CMD curl -f localhost\nFROM base\nRUN true\n')).toEqual({
      file: 'Dockerfile',
      healthcheck: true,
      user: 'node',
      baseImages: ['node:22'],
    });
    expect(facts('FROM node:22 AS base\nHEALTHCHECK CMD true\nFROM base\nHEALTHCHECK NONE\nUSER 1000:1000\nUSER app\n')).toEqual({
      file: 'Dockerfile',
      healthcheck: false,
      user: 'app',
      baseImages: ['node:22'],
    });
  });

  it('substitutes global ARGs in FROM, keeps images with unknown variables as written, ignores scratch and flags', () => {
    expect(facts('ARG BASE="alpine" VERSION=3.20\nARG TAG\nFROM --platform=$BUILDPLATFORM ${BASE}:${VERSION:-x} AS a\nFROM app:${TAG}\nFROM scratch\nFROM a\n')).toEqual({
      file: 'Dockerfile',
      healthcheck: false,
      user: null,
      baseImages: ['alpine:3.20', 'app:${TAG}'],
    });
  });

  it('is null without FROM', () => {
    expect(facts('# nothing\nRUN true\n')).toBeNull();
  });
});

describe('parseDockerfile on a huge instruction', () => {
  it('joins 15,000 continuation lines into one instruction, each line once', () => {
    const steps = Array.from({ length: 15_000 }, (_, i) => `  && echo step-${i} \\`);
    const [from, run, user] = parseDockerfile(['FROM node:22', 'RUN set -e \\', ...steps, '  && true', 'USER node', ''].join('\n'));
    expect(from).toEqual({ keyword: 'FROM', args: 'node:22', line: 1 });
    expect(run!.line).toBe(2);
    expect(run!.args.startsWith('set -e && echo step-0 && echo step-1 && ')).toBe(true);
    expect(run!.args.endsWith('&& echo step-14999 && true')).toBe(true);
    expect(user).toEqual({ keyword: 'USER', args: 'node', line: 15_004 });
  });
});

describe('readDockerfile', () => {
  it('reads the Go, Java and Python Dockerfiles of the polyglot fixture', () => {
    const reader = createReader(fixture('polyglot-compose'));
    expect(['catalog/Dockerfile', 'orders/Dockerfile', 'recommendations/Dockerfile'].map((f) => readDockerfile(reader, f))).toEqual([
      { file: 'catalog/Dockerfile', healthcheck: false, user: 'nonroot:nonroot', baseImages: ['golang:1.24-alpine', 'gcr.io/distroless/static-debian12${DISTROLESS}'] },
      { file: 'orders/Dockerfile', healthcheck: true, user: '1001', baseImages: ['maven:3.9-eclipse-temurin-21', 'eclipse-temurin:21-jre'] },
      { file: 'recommendations/Dockerfile', healthcheck: false, user: null, baseImages: ['python:3.13-slim'] },
    ]);
    expect(reader.diagnostics).toEqual([]);
  });

  it('reports a file without FROM, and one the reader refuses; a missing one is null', () => {
    const root = tmpDir();
    writeFileSync(path.join(root, 'Containerfile'), '# nothing\nRUN true\n');
    execFileSync('mkfifo', [path.join(root, 'Dockerfile')]);
    const reader = createReader(root);
    expect(readDockerfile(reader, 'Containerfile')).toBeNull();
    expect(readDockerfile(reader, 'Dockerfile')).toBeNull();
    expect(readDockerfile(reader, 'Dockerfile.missing')).toBeNull();
    expect(reader.diagnostics).toEqual([
      { file: 'Containerfile', message: 'not a Dockerfile: no FROM instruction' },
      { file: 'Dockerfile', message: 'skipped: not a regular file (a FIFO)' },
    ]);
  });
});
