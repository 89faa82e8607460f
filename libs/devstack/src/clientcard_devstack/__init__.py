"""Runs the clientcard stack on one machine without Docker, and gives tests real servers.

`clientcard-stack` (cli) starts PostgreSQL from the system's binaries, a single-node Kafka
in KRaft mode from its published jars, the services and the gateway; the pytest plugin
starts the same servers on other ports and in another state folder for the tests.
"""
