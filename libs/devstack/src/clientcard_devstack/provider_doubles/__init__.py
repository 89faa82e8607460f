"""Local stand-ins for the messaging providers' HTTP APIs (Telegram, VK, WhatsApp Cloud
API, SMSC), speaking their documented request and response shapes, errors and rate
limits, for tests and benchmarks that cannot reach the real services."""
