"""The central store (issue 15): a department's PostgreSQL server, which keeps every laptop's sessions
and decides, with roles and row-level security, who sees what.

The server side is PostgreSQL itself: the schema is plain SQL migrations shipped in this package
(migrations/NNNN_name.sql, applied by `inspect-tui server init` / `upgrade`), the permissions are
PostgreSQL roles and policies (admin.py), and the connection is a libpq DSN or service name
(connection.py). psycopg is imported only when a server is actually reached. The sync client that
pushes and pulls events is built on this schema separately.
"""

from __future__ import annotations

SCHEMA = "inspect_tui"
GROUPS = {"inspector": "inspect_inspector", "reader": "inspect_reader", "branch": "inspect_branch"}
REPLAY_CHECK = "inspect_replay_check"  # the NOLOGIN role the altered-replay trigger runs as (0002)
