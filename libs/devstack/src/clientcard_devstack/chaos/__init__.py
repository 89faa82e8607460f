"""The fault suite: the whole system under load while its processes are killed in turn.

Each phase gives one fault a merchant of its own: clients registered with a messenger and
a segment, a mailing scheduled to go out as the fault strikes, then receipts from tills,
registrations and manual bonus operations streamed while one of the four services is
killed with SIGKILL, the Kafka broker is killed with SIGKILL, or PostgreSQL is stopped
in immediate mode (no checkpoint, clients cut off), and started again. Then it waits until
the system has caught up and counts, from each service's own tables and the dead-letter
topics: every receipt stored once, every accrual once, each read model equal to its
source, every registration and manual operation once, every mailing message sent once.

    make chaos                     # the full suite, a report in Markdown
    python -m clientcard_devstack.chaos --short --json results.json

It runs on servers of its own (a test slot's ports and folder) and only local addresses.
"""
