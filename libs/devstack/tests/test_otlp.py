"""The tracing benchmarks' setting: processes started inside the block export a share of
their traces to a sink here, and the environment is as before afterwards."""

import os
import urllib.request

import pytest

from clientcard_devstack.otlp import exporting_traces


def test_the_share_is_set_for_the_blocks_processes_and_the_sink_acknowledges(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "always_on")
    monkeypatch.delenv("OTEL_TRACES_SAMPLER_ARG", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    with exporting_traces(1) as endpoint:
        assert os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] == endpoint
        assert os.environ["OTEL_TRACES_SAMPLER"] == "parentbased_traceidratio"
        assert float(os.environ["OTEL_TRACES_SAMPLER_ARG"]) == pytest.approx(0.01)
        export = urllib.request.Request(
            f"{endpoint}/v1/traces",
            data=b"not decoded",
            method="POST",
            headers={"content-type": "application/x-protobuf"},
        )
        with urllib.request.urlopen(export, timeout=5) as answer:
            assert answer.status == 200
    # What was set before comes back; what was not set is gone again.
    assert os.environ["OTEL_TRACES_SAMPLER"] == "always_on"
    assert "OTEL_TRACES_SAMPLER_ARG" not in os.environ
    assert "OTEL_EXPORTER_OTLP_ENDPOINT" not in os.environ
