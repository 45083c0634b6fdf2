/**
 * .NET Aspire app hosts (`DistributedApplication.CreateBuilder`): each resource is a deployment unit —
 * `AddProject<Projects.Catalog_API>("catalog-api")` (project `Catalog.API`) or `AddProject("x", "../X/X.csproj")`,
 * `AddContainer("name", "image", "tag")`, servers such as `AddPostgres("pg")` with `.AddDatabase("catalogdb")` (a database
 * carries its server's image). App hosts under test folders are left out.
 * `.WithReference(r)` becomes the environment Aspire injects, so the join sees the edges: a project →
 * `services__<name>__http__0=http://<name>`, a database or server → `ConnectionStrings__<name>` written in the
 * engine's usual form with the server resource as host (the real value carries ports and credentials; the identity
 * — engine, host, database — is the same). `.WithEnvironment("K", "v")`, `.WithReplicas(n)` and
 * `.WithHttpHealthCheck("/health")` are read too. The app host itself is a platform, not a business service.
 */
import { posix } from 'node:path';
import type { DeploymentUnit, Evidence, Setting } from '../facts.js';
import type { Location } from '../types.js';
import { defineExtractor, type ExtractResult } from './define-extractor.js';
import { CsFile } from './csharp-source-utils/file.js';
import { TEST_FOLDER, arg, callee, lastName, stringValue } from './csharp-source-utils/syntax.js';
import type { SyntaxNode } from './tree-sitter.js';

/** Server resources: their engine's image, and how a reference to them reads as a connection string. */
const SERVERS: Readonly<Record<string, { image: string; connection: (host: string, database: string) => string }>> = {
  AddPostgres: { image: 'postgres', connection: (h, d) => `Host=${h};Database=${d}` },
  AddSqlServer: { image: 'mcr.microsoft.com/mssql/server', connection: (h, d) => `Server=${h};Database=${d};TrustServerCertificate=true` },
  AddMySql: { image: 'mysql', connection: (h, d) => `Server=${h};Port=3306;Database=${d}` },
  AddMongoDB: { image: 'mongo', connection: (h, d) => `mongodb://${h}/${d}` },
  AddRedis: { image: 'redis', connection: (h) => `${h}:6379` },
  AddRabbitMQ: { image: 'rabbitmq', connection: (h) => `amqp://${h}:5672` },
  AddKafka: { image: 'confluentinc/confluent-local', connection: (h) => `${h}:9092` },
};

interface Resource {
  unit: DeploymentUnit;
  /** For a database: its server resource's name and the server kind. */
  server: { name: string; kind: string } | null;
  kind: string;
}

export default defineExtractor({
  id: 'aspire',
  description: '.NET Aspire app hosts: projects, containers and servers as deployment units, references as environment',
  // An app host under tests/ starts the system for a test run: not how it is deployed.
  accepts: (file) => file.ext === '.cs' && !TEST_FOLDER.test(file.path),
  needles: ['DistributedApplication'],
  grammars: ['csharp'],
  extract({ path, text }, ctx) {
    return ctx.withTree('csharp', text, (tree) => {
      const file = new CsFile(path, tree.rootNode);
      const host = file.invocations.find((i) => i.call.name === 'CreateBuilder' && lastName(i.call.receiver) === 'DistributedApplication');
      if (!host) return null;
      const resources = new Map<string, Resource>();
      const keyOf = (node: SyntaxNode): string => `${node.startIndex}:${node.endIndex}`;
      for (const { node, call } of file.invocations) {
        const resource = declare(file, node, call.name, call.typeArgs[0] ?? null, resources, keyOf);
        if (resource) resources.set(keyOf(node), resource);
      }
      for (const { node, call } of file.invocations) {
        const owner = call.receiver ? resourceOf(file, call.receiver, resources, keyOf) : null;
        if (!owner) continue;
        applyModifier(file, node, call.name, owner.unit, (value) => resourceOf(file, value, resources, keyOf));
      }
      // Invocations of a chain come outermost first: put what each unit gets back in source order.
      for (const { unit: u } of resources.values()) u.environment.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0));
      const platform: Evidence[] = [{ what: 'DistributedApplication.CreateBuilder (Aspire app host)', location: file.location(host.node) }];
      const out: ExtractResult = { platform, deployments: [...resources.values()].map((r) => r.unit) };
      return out;
    });
  },
});

function unit(name: string, location: Location, fields: Partial<DeploymentUnit>): DeploymentUnit {
  return { format: 'aspire', name, images: [], build: null, sourceDir: null, project: null, environment: [], published: [], replicas: null, autoscaling: false, health: [], pins: [], location, ...fields };
}

function declare(file: CsFile, node: SyntaxNode, method: string, typeArg: SyntaxNode | null, resources: ReadonlyMap<string, Resource>, keyOf: (n: SyntaxNode) => string): Resource | null {
  const first = arg(node, 0);
  const name = first ? stringValue(first) : null;
  if (!name) return null;
  const location = file.location(node);
  if (method === 'AddProject') {
    const projectPath = arg(node, 1);
    const csproj = projectPath ? stringValue(projectPath) : null;
    if (csproj) {
      const folder = posix.dirname(posix.normalize(posix.join(posix.dirname(file.path), csproj.replaceAll('\\', '/'))));
      return { unit: unit(name, location, { sourceDir: folder.startsWith('..') ? null : folder }), server: null, kind: 'project' };
    }
    // Aspire names the generated type after the project file, with `.` as `_`.
    const project = typeArg ? (lastName(typeArg) ?? '').replaceAll('_', '.') : null;
    return { unit: unit(name, location, { project }), server: null, kind: 'project' };
  }
  if (method === 'AddContainer') {
    const image = arg(node, 1);
    const tag = arg(node, 2);
    const imageText = image ? stringValue(image) : null;
    const tagText = tag ? stringValue(tag) : null;
    return { unit: unit(name, location, { images: imageText ? [tagText ? `${imageText}:${tagText}` : imageText] : [] }), server: null, kind: 'container' };
  }
  const server = SERVERS[method];
  if (server) return { unit: unit(name, location, { images: [server.image] }), server: null, kind: method };
  if (method === 'AddDatabase') {
    const call = callee(node);
    const parent = call?.receiver ? resourceOf(file, call.receiver, resources, keyOf) : null;
    if (!parent) return null;
    // A database runs in its server: the server's image, so the link step knows it for infrastructure.
    return { unit: unit(name, location, { images: parent.unit.images.slice(0, 1) }), server: { name: parent.unit.name, kind: parent.kind }, kind: 'database' };
  }
  return null;
}

/** The resource an expression stands for: a variable holding one, or the innermost `Add…` of a chain. */
function resourceOf(file: CsFile, node: SyntaxNode, resources: ReadonlyMap<string, Resource>, keyOf: (n: SyntaxNode) => string): Resource | null {
  let current: SyntaxNode | null = file.scope.resolve(node) ?? node;
  for (let depth = 0; current && depth < 32; depth++) {
    const found = resources.get(keyOf(current));
    if (found) return found;
    if (current.type !== 'invocation_expression') return null;
    current = callee(current)?.receiver ?? null;
    if (current?.type === 'identifier') current = file.scope.resolve(current) ?? current;
  }
  return null;
}

function applyModifier(file: CsFile, node: SyntaxNode, method: string, target: DeploymentUnit, resolve: (value: SyntaxNode) => Resource | null): void {
  const first = arg(node, 0);
  const location = file.location(node);
  const setting = (key: string, value: string): Setting => ({ key, value, profile: null, location });
  if (method === 'WithReference' && first) {
    const referenced = resolve(first);
    if (!referenced) return;
    const { unit: ref, server, kind } = referenced;
    if (kind === 'project' || kind === 'container') target.environment.push(setting(`services__${ref.name}__http__0`, `http://${ref.name}`));
    else if (server) {
      const engine = SERVERS[server.kind];
      if (engine) target.environment.push(setting(`ConnectionStrings__${ref.name}`, engine.connection(server.name, ref.name)));
    } else if (SERVERS[kind]) target.environment.push(setting(`ConnectionStrings__${ref.name}`, SERVERS[kind]!.connection(ref.name, '')));
  } else if (method === 'WithEnvironment' && first) {
    const key = stringValue(first);
    const value = arg(node, 1);
    if (key && value) target.environment.push(setting(key, file.scope.address(value).url ?? ''));
  } else if (method === 'WithReplicas' && first) {
    const replicas = Number(first.text);
    if (Number.isInteger(replicas)) target.replicas = replicas;
  } else if (method === 'WithHttpHealthCheck' || method === 'WithHealthCheck') {
    target.health.push({ what: `${method}(${first ? (stringValue(first) ?? '') : ''})`, location });
  }
}
