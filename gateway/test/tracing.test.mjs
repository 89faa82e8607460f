// When and how much the gateway traces, from the same OTEL_* variables as the services.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { tracingSettings } from '../lib/tracing.mjs';

describe('tracing settings', () => {
  test('off without an endpoint', () => {
    assert.equal(tracingSettings({}), null);
  });

  test('the base endpoint gets the traces path, a traces endpoint is taken as it is', () => {
    assert.deepEqual(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' }), {
      endpoint: 'http://127.0.0.1:4318/v1/traces',
      samplingRate: 1,
    });
    const exact = tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/otlp/traces' });
    assert.equal(exact.endpoint, 'http://collector:4318/otlp/traces');
  });

  test('switched off by the SDK switch or the none exporter, whatever else is set', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    assert.equal(tracingSettings({ ...endpoint, OTEL_SDK_DISABLED: 'true' }), null);
    assert.equal(tracingSettings({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }), null);
  });

  test('a ratio sampler keeps that share of new traces; an off sampler none', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    const onePercent = { ...endpoint, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.01' };
    assert.equal(tracingSettings(onePercent).samplingRate, 0.01);
    assert.equal(tracingSettings({ ...endpoint, OTEL_TRACES_SAMPLER: 'always_off' }).samplingRate, 0);
  });

  test('a sampler argument outside 0..1 or an exporter without an endpoint is refused', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    assert.throws(
      () => tracingSettings({ ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '5' }),
      /OTEL_TRACES_SAMPLER_ARG/,
    );
    assert.throws(() => tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp' }), /OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});
