/** Canned check results for the reporter tests: typed against the contract, so they drift with it. */
import { fingerprint } from '../../../../src/check/engine.js';
import { ITEMS, type CheckResult, type Finding, type ItemId, type RuleInfo, type ScorecardEntry, type ServiceSummary } from '../../../../src/check/types.js';

export const ROOT = '/home/ci/shop';

const RULES: RuleInfo[] = [
  {
    id: 'circuit-breakers',
    item: 'circuit-breakers',
    description: 'Outbound calls to other services go through a circuit breaker',
    rationale: 'Without a breaker, a slow dependency ties up every caller and the failure spreads.',
    fix: 'Wrap the call with opossum or cockatiel, or call through the generated service client.',
    defaultSeverity: 'warning',
  },
  {
    id: 'health-checks',
    item: 'health-checks',
    description: 'Every service has a health endpoint and a healthcheck or probes',
    rationale: 'Orchestrators restart and route only what they can see is healthy.',
    fix: 'Add GET /health and a compose healthcheck (or Kubernetes probes).',
    defaultSeverity: 'error',
  },
  {
    id: 'no-shared-database',
    item: 'shared-database',
    description: 'No database is used by more than one service',
    rationale: 'A shared database couples services through their schema: one migration can break another team.',
    fix: 'Give each service its own database and share data through APIs or events.',
    defaultSeverity: 'error',
  },
  {
    id: 'parse-error',
    item: null,
    description: 'Every manifest and source file can be read and parsed',
    rationale: 'A file archkit cannot parse is a file it cannot check.',
    fix: 'Fix the syntax error, or ignore the file in arch.config.json.',
    defaultSeverity: 'warning',
  },
  {
    id: 'services-found',
    item: 'service-boundaries',
    description: 'The repository has services that archkit can find',
    rationale: 'A check that finds nothing to check would pass silently.',
    fix: 'Declare services in arch.config.json, or add compose or Kubernetes manifests.',
    defaultSeverity: 'error',
  },
];

function scorecard(overrides: Partial<Record<ItemId, Partial<ScorecardEntry>>> = {}): Record<ItemId, ScorecardEntry> {
  const out = {} as Record<ItemId, ScorecardEntry>;
  for (const id of ITEMS) out[id] = { status: 'pass', rules: [], evidence: 'every service checked passes', ...overrides[id] };
  return out;
}

function summary(name: string): ServiceSummary {
  return {
    name,
    dir: `services/${name}`,
    origins: ['workspace', 'compose'],
    language: 'typescript',
    sourceFiles: 4,
    manifestRead: true,
    databases: [`postgres://${name}-db/${name}`],
    health: { answer: 'yes', evidence: [`health route /health/ready (services/${name}/src/main.ts:20)`] },
    tracing: { answer: 'yes', evidence: [`tracing set up in code (services/${name}/src/instrumentation.ts:1)`] },
    breakers: [],
    brokers: [],
    syncCalls: [],
    deployments: [{ format: 'compose', name, at: 'compose.yaml:3' }],
    localState: [],
  };
}

function result(findings: Finding[], card: Record<ItemId, ScorecardEntry>, extra: Partial<CheckResult['summary']> = {}): CheckResult {
  return {
    version: 1,
    findings,
    scorecard: card,
    services: [
      summary('orders'),
      summary('payments'),
    ],
    rules: RULES,
    summary: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      suppressed: 0,
      baselined: 0,
      files: 42,
      ...extra,
    },
  };
}

const finding = (f: Partial<Finding> & Pick<Finding, 'ruleId' | 'message'>): Finding => {
  const full = { severity: 'error' as const, item: 'shared-database' as const, service: null, file: null, line: null, column: null, ...f };
  // As the engine makes them, with the message standing in for the line's text.
  return { ...full, fingerprint: fingerprint({ ruleId: full.ruleId, item: full.item, messageId: 'fixture', service: full.service, file: full.file, data: {}, lineText: full.message }) };
};

export const clean = result([], scorecard({ tracing: { status: 'unknown', evidence: 'no JavaScript or TypeScript source to look for a tracing set-up' } }));

export const errors = result(
  [
    finding({ ruleId: 'services-found', item: 'service-boundaries', message: 'declared service "billing" was not found' }),
    finding({ ruleId: 'health-checks', item: 'health-checks', service: 'orders', message: 'orders has no compose healthcheck', file: 'compose.yaml', line: 3, column: 3 }),
    finding({ ruleId: 'circuit-breakers', severity: 'warning', item: 'circuit-breakers', service: 'orders', message: 'call to payments without a circuit breaker', file: 'services/orders/src/payments-client.ts', line: 128, column: 17 }),
    finding({ ruleId: 'no-shared-database', service: 'payments', message: 'database postgres://orders-db/orders is shared with orders', file: 'compose.yaml', line: 21, column: 9 }),
    finding({ ruleId: 'circuit-breakers', severity: 'warning', item: 'circuit-breakers', service: 'payments', message: 'call to orders without a circuit breaker', file: 'services/payments/src/index.ts', line: 7, column: null }),
  ],
  scorecard({
    'service-boundaries': { status: 'fail', rules: ['services-found'], evidence: 'a declared service was not found' },
    'circuit-breakers': { status: 'fail', rules: ['circuit-breakers'], evidence: '2 of 3 outbound calls have no breaker' },
    'health-checks': { status: 'fail', rules: ['health-checks'], evidence: 'orders has no healthcheck' },
    'shared-database': { status: 'fail', rules: ['no-shared-database'], evidence: 'orders and payments share postgres://orders-db/orders' },
    'no-circuit-breakers': { status: 'fail', rules: ['circuit-breakers'], evidence: '2 outbound calls without a breaker' },
    'horizontal-scaling': { status: 'unknown', evidence: 'no replicas or autoscaling declared' },
  }),
  { suppressed: 2, baselined: 1 },
);

export const warningsOnly = result(
  [
    finding({ ruleId: 'circuit-breakers', severity: 'warning', item: 'circuit-breakers', service: 'orders', message: 'call to payments without a circuit breaker', file: 'services/orders/src/payments-client.ts', line: 12, column: 5 }),
  ],
  scorecard({ 'circuit-breakers': { status: 'fail', rules: ['circuit-breakers'], evidence: '1 of 4 outbound calls has no breaker' } }),
  { baselined: 3 },
);

export const parseFailures = result(
  [
    finding({ ruleId: 'parse-error', severity: 'warning', item: null, message: 'compose.yaml: Nested mappings are not allowed in compact mappings', file: 'compose.yaml', line: 14, column: null }),
    finding({ ruleId: 'parse-error', severity: 'warning', item: null, message: 'file larger than 1 MB, skipped', file: 'services/orders/src/generated/huge.ts', line: null, column: null }),
  ],
  scorecard({ 'health-checks': { status: 'unknown', evidence: 'compose.yaml could not be parsed' } }),
);

export const repositoryWide = result(
  [finding({ ruleId: 'services-found', item: 'service-boundaries', message: 'no services found (looked at package.json files, compose files, Kubernetes manifests and arch.config.json)' })],
  scorecard(Object.fromEntries(ITEMS.map((id) => [id, { status: 'unknown', evidence: 'no services found' }]))),
);

/** Messages, paths and names that break naive escaping in every format. */
export const hostile = result(
  [
    finding({ ruleId: 'services-found', item: 'service-boundaries', message: 'pipe | in a table, `backticks`, 100% sure,\nsecond line\r\n::warning::injected; isAdmin\u202E \u2066// admin only\u2069\u2066 zero\u200Bwidth' }),
    finding({
      ruleId: 'no-shared-database',
      service: 'weird|svc `x` <b>',
      message: '<script>alert(1)</script> *bold* _em_ [link](http://x) ~strike~ \\ back\u001b[31mred',
      file: 'services/we ird,svc/a:b#c%d.ts',
      line: 1,
      column: 2,
    }),
    finding({ ruleId: 'parse-error', severity: 'warning', item: null, service: 'weird|svc `x` <b>', message: '::error::not a command\n::set-env name=X::y', file: 'compose,x:y\u202Elmay.yaml', line: 3, column: null }),
  ],
  scorecard({ 'shared-database': { status: 'fail', rules: ['no-shared-database'], evidence: 'shared | by `two`\nservices <i>' } }),
);

export const FIXTURES = { clean, errors, warningsOnly, parseFailures, repositoryWide, hostile } as const;
export type FixtureName = keyof typeof FIXTURES;
export const FIXTURE_NAMES = Object.keys(FIXTURES) as FixtureName[];
