/**
 * OpenTelemetry tracing, loaded before the application itself:
 *
 *   node --import ./dist/instrumentation.js dist/main.js
 *
 * so that http, fetch (undici) and pg are patched before anything
 * imports them. Spans go to an OTLP/HTTP collector (OTEL_EXPORTER_OTLP_ENDPOINT,
 * default http://localhost:4318). OTEL_SDK_DISABLED=true turns all of it off.
 * Export failures are silent unless OTEL_LOG_LEVEL is set, so a missing
 * collector neither crashes nor floods the logs.
 */
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { register as registerHooks, supportsSyncHooks } from 'import-in-the-middle/register-hooks.mjs';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { NodeSDK } from '@opentelemetry/sdk-node';

const disabled = process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';

let sdk: NodeSDK | undefined;

if (!disabled) {
  // ES-module imports are patched by a loader hook that intercepts only the modules the instrumentations below ask
  // for: in-thread (module.registerHooks) on Node.js 22.22.3, 24.11.1, 26 and later, off-thread (module.register,
  // deprecated from Node.js 26) before them.
  const inThread = supportsSyncHooks();
  const channel = inThread ? undefined : createAddHookMessageChannel();
  if (channel) register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, channel.registerOptions);
  const instrumentations = [
    new HttpInstrumentation({
      // Health probes would drown real traffic.
      ignoreIncomingRequestHook: (request) => request.url?.startsWith('/health/') ?? false,
    }),
    new UndiciInstrumentation(),
    // Only queries inside a traced operation: background polls (an outbox relay, retention) make no root span each time.
    new PgInstrumentation({ requireParentSpan: true }),
  ];
  if (inThread) registerHooks({ include: instrumentations.flatMap((each) => each.getModuleDefinitions().map((module) => module.name)) });
  // Only now: an in-thread hook also sees the SDK's own require() calls, and loaded before the instrumentations
  // exist, the SDK would load http unpatched for ES-module imports too.
  const [{ NodeSDK }, { OTLPTraceExporter }] = await Promise.all([import('@opentelemetry/sdk-node'), import('@opentelemetry/exporter-trace-otlp-http')]);

  // Traces only: the workspace's collector has no metrics or logs pipeline, and the SDK would otherwise export
  // both over OTLP by default. Set OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER (and add the pipeline to
  // otel-collector.yaml) to send them as well.
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME || 'order-items',
    traceExporter: new OTLPTraceExporter(),
    instrumentations,
  });
  sdk.start();
  await channel?.waitForAllMessagesAcknowledged();
}

/** Flushes pending spans; bounded so a missing collector cannot stall shutdown. */
export async function shutdownTracing(timeoutMs = 2000): Promise<void> {
  if (!sdk) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    sdk.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
