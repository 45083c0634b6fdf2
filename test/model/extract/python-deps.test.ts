import { describe, expect, it } from 'vitest';
import pythonDeps, { normaliseName, requirementName, scopeOfName } from '../../../src/model/extract/python-deps.js';
import { capabilitiesOf } from '../../../src/model/knowledge/index.js';
import { runExtractor } from '../../helpers/extract.js';

const deps = async (path: string, text: string, files: Record<string, string> = {}) =>
  ((await runExtractor(pythonDeps, path, text, files))?.dependencies ?? []).map((d) => [d.name, d.scope, d.location.file, d.location.line]);

describe('python-deps: names', () => {
  it('normalises names as PEP 503 says, and reads the name of a requirement', () => {
    expect(normaliseName('Flask_SQLAlchemy')).toBe('flask-sqlalchemy');
    expect(normaliseName('zope.interface')).toBe('zope-interface');
    expect(normaliseName('aio--pika')).toBe('aio-pika');
    expect(requirementName('fastapi[all]>=0.110 ; python_version > "3.8"')).toBe('fastapi');
    expect(requirementName('uvicorn==0.29.0')).toBe('uvicorn');
    expect(requirementName('opentelemetry-exporter-otlp @ https://example.com/x.whl')).toBe('opentelemetry-exporter-otlp');
    expect(requirementName('git+https://example.com/repo.git#egg=pybreaker')).toBe('pybreaker');
    expect(requirementName('https://example.com/x.whl')).toBeNull();
  });

  it('scopes groups and files by their names', () => {
    expect(scopeOfName('requirements.txt')).toBe('runtime');
    expect(scopeOfName('requirements-dev.txt')).toBe('test');
    expect(scopeOfName('test-requirements.txt')).toBe('test');
    expect(scopeOfName('requirements_docs.txt')).toBe('test');
    expect(scopeOfName('requirements-docker.txt')).toBe('runtime');
    expect(scopeOfName('kafka')).toBe('runtime');
    expect(scopeOfName('build')).toBe('build');
  });
});

describe('python-deps: requirements files', () => {
  it('reads requirements with their lines, follows -r includes, and makes the folder a Python unit', async () => {
    const text = ['# service deps', '-r common.txt', 'fastapi==0.110.0  # web', '', '--index-url https://pypi.example.com/simple', 'pika>=1.3 \\', '  --hash=sha256:abc', '-e ./libs/shared'].join('\n');
    const facts = await runExtractor(pythonDeps, 'services/orders/requirements.txt', text, { 'services/orders/common.txt': 'requests==2.31.0\n-r requirements.txt\n' });
    expect(facts?.dependencies?.map((d) => [d.name, d.scope, d.location.file, d.location.line])).toEqual([
      ['requests', 'runtime', 'services/orders/common.txt', 1],
      ['fastapi', 'runtime', 'services/orders/requirements.txt', 3],
      ['pika', 'runtime', 'services/orders/requirements.txt', 6],
    ]);
    expect(facts?.unit).toMatchObject({ kind: 'python', dir: 'services/orders', name: null });
  });

  it('development requirements are test scope and make no unit; files under requirements/ belong to the folder above', async () => {
    const dev = await runExtractor(pythonDeps, 'requirements-dev.txt', 'pytest==8.0\n');
    expect(dev?.dependencies?.map((d) => d.scope)).toEqual(['test']);
    expect(dev?.unit).toBeUndefined();
    const base = await runExtractor(pythonDeps, 'svc/requirements/base.txt', 'django==5.0\n');
    expect(base?.unit?.dir).toBe('svc');
    const docs = await runExtractor(pythonDeps, 'svc/docs/requirements.txt', 'sphinx\n');
    expect(docs?.dependencies?.map((d) => d.scope)).toEqual(['test']);
    expect(docs?.unit).toBeUndefined();
  });

  it('reads only requirement files among text files', async () => {
    expect(await runExtractor(pythonDeps, 'notes.txt', 'requests\n')).toBeNull();
    expect(await runExtractor(pythonDeps, 'setup.py', 'requests\n')).toBeNull();
  });
});

describe('python-deps: pyproject.toml, Pipfile, setup.cfg', () => {
  it('PEP 621 project with optional and dependency groups', async () => {
    const text = `[project]
name = "orders"
dependencies = [
  "fastapi>=0.110",
  "aio-pika",
]

[project.optional-dependencies]
kafka = ["aiokafka"]
test = ["pytest"]

[project.scripts]
orders = "orders.main:run"

[dependency-groups]
lint = ["ruff"]
`;
    const facts = await runExtractor(pythonDeps, 'orders/pyproject.toml', text);
    expect(facts?.dependencies?.map((d) => [d.name, d.scope, d.location.line])).toEqual([
      ['fastapi', 'runtime', 4],
      ['aio-pika', 'runtime', 5],
      ['aiokafka', 'runtime', 9],
      ['pytest', 'test', 10],
      ['ruff', 'test', 16],
    ]);
    expect(facts?.unit).toMatchObject({ kind: 'python', dir: 'orders', name: 'orders', executable: true });
  });

  it('Poetry dependencies and groups (python itself is no dependency)', async () => {
    const text = `[tool.poetry]
name = "billing"

[tool.poetry.dependencies]
python = "^3.12"
Flask = "^3.0"
pybreaker = "^1.0"

[tool.poetry.group.dev.dependencies]
pytest = "^8"
`;
    expect(await deps('pyproject.toml', text)).toEqual([
      ['flask', 'runtime', 'pyproject.toml', 6],
      ['pybreaker', 'runtime', 'pyproject.toml', 7],
      ['pytest', 'test', 'pyproject.toml', 10],
    ]);
  });

  it('a pyproject.toml that does not parse is a diagnostic, not a crash', async () => {
    const facts = await runExtractor(pythonDeps, 'pyproject.toml', '[project\nname = ');
    expect(facts?.diagnostics?.[0]?.message).toMatch(/^cannot parse pyproject.toml/);
    expect(facts?.dependencies).toBeUndefined();
  });

  it('Pipfile packages and dev-packages', async () => {
    const text = '[packages]\nrequests = "*"\nkafka-python = "==2.0.2"\n\n[dev-packages]\npytest = "*"\n';
    expect(await deps('Pipfile', text)).toEqual([
      ['requests', 'runtime', 'Pipfile', 2],
      ['kafka-python', 'runtime', 'Pipfile', 3],
      ['pytest', 'test', 'Pipfile', 6],
    ]);
  });

  it('setup.cfg install_requires and extras', async () => {
    const text = '[metadata]\nname = shipping\n\n[options]\ninstall_requires =\n    celery>=5\n    psycopg2-binary\n\n[options.extras_require]\ntest =\n    pytest\n';
    const facts = await runExtractor(pythonDeps, 'setup.cfg', text);
    expect(facts?.dependencies?.map((d) => [d.name, d.scope, d.location.line])).toEqual([
      ['celery', 'runtime', 6],
      ['psycopg2-binary', 'runtime', 7],
      ['pytest', 'test', 11],
    ]);
    expect(facts?.unit?.name).toBe('shipping');
  });
});

describe('pypi knowledge', () => {
  it('knows what the projects give; retries are no breaker', () => {
    const of = (name: string) => capabilitiesOf({ ecosystem: 'pypi', name });
    expect(of('pybreaker')).toEqual([{ kind: 'breaker' }]);
    expect(of('tenacity')).toEqual([{ kind: 'retry' }]);
    expect(of('opentelemetry-exporter-otlp')).toEqual([{ kind: 'tracing', exports: true }]);
    expect(of('opentelemetry-instrumentation-fastapi')).toEqual([{ kind: 'tracing', exports: false }]);
    expect(of('aio-pika')).toEqual([{ kind: 'broker', broker: 'rabbitmq' }]);
    expect(of('psycopg2-binary')).toEqual([{ kind: 'database', engine: 'postgres' }]);
    expect(of('numpy')).toEqual([]);
  });
});
