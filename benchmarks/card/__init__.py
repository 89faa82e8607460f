"""The whole card through the gateway, benchmarked (`benchmarks/card_gateway.py` runs it).

- `gateways` and `supergraph`: the targets and how each one starts;
- `salon`: the seeded salon and the full cards read;
- `queries`: the card as a frontend asks for it, and as a gateway's plan fetches it;
- `scenarios`: what the load generator sends to each target;
- `load` and `cpu`: the runs of the load generator and the CPU they cost;
- `report`: the tables printed at the end.
"""
