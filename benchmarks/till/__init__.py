"""The till's path end to end, benchmarked (`benchmarks/till_flow.py` runs it).

- `servers`: PostgreSQL, Kafka and the services as processes;
- `calls`: the staff's GraphQL and the till's POS HTTP, and a sale as the till sends it;
- `stages`: register then pay, and the sales sent at once;
- `stored`: what the services have stored, read from their databases.
"""
