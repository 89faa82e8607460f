// OpenTelemetry traces of the gateway, switched on by the same OTEL_* variables as the
// services (clientcard_kit.observability.tracing): the gateway starts a trace for each
// request (or continues the client's `traceparent`) and passes it to every subgraph
// request, so a card is one trace across the gateway and the four services.

const OFF_SAMPLERS = new Set(['always_off', 'parentbased_always_off']);

/**
 * Where and how much to trace, or null when the environment does not ask for traces.
 * The endpoint is the OTLP/HTTP traces URL; `samplingRate` is the share of new traces
 * recorded (a request that arrives with a sampled `traceparent` is traced regardless).
 */
export function tracingSettings(env = process.env) {
  if ((env.OTEL_SDK_DISABLED || '').trim().toLowerCase() === 'true') return null;
  const exporter = (env.OTEL_TRACES_EXPORTER || '').trim().toLowerCase();
  if (exporter === 'none') return null;
  const endpoint = tracesEndpoint(env);
  if (!endpoint) {
    if (exporter) throw new Error('OTEL_TRACES_EXPORTER is set but no OTEL_EXPORTER_OTLP_ENDPOINT');
    return null;
  }
  return { endpoint, samplingRate: samplingRate(env) };
}

function tracesEndpoint(env) {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  // As the OTLP specification says: the base endpoint gets the signal's path appended.
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : null;
}

function samplingRate(env) {
  const sampler = (env.OTEL_TRACES_SAMPLER || '').trim().toLowerCase();
  if (OFF_SAMPLERS.has(sampler)) return 0;
  if (!sampler.includes('traceidratio')) return 1;
  const raw = env.OTEL_TRACES_SAMPLER_ARG;
  const rate = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new Error(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, not ${JSON.stringify(raw)}`);
  }
  return rate;
}
