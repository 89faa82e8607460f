"""Events over Kafka: CloudEvents envelopes, the transactional outbox, idempotent consumers."""
