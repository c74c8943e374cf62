-- 0001: the central store's tables, in schema inspect_tui.
--
-- Applied by `inspect-tui server init` / `server upgrade` inside one transaction, recorded in
-- inspect_tui.schema_version. Standard SQL plus the PostgreSQL features below, named because a
-- PostgreSQL-compatible database (openGauss, KingbaseES) may lack one or spell it differently —
-- none of this has been run on those here; docs/deployment.md lists them for whoever tries:
--   * jsonb (payloads), bytea (attachment content), timestamptz, text[];
--   * sha256(bytea) (PostgreSQL 11+): the server computes every hash itself (a CHECK and a trigger);
--   * PL/pgSQL trigger functions with SET search_path, and CREATE TRIGGER … EXECUTE FUNCTION
--     (PostgreSQL 11+; older servers and some forks spell it EXECUTE PROCEDURE);
--   * INSERT … ON CONFLICT DO NOTHING (PostgreSQL 9.5+), used by the sync client;
--   * WITH RECURSIVE (the unit tree), to_regclass, pg_advisory_xact_lock (the migration runner);
--   * row-level security with FORCE, and a SECURITY DEFINER trigger function (0002).

CREATE SCHEMA IF NOT EXISTS inspect_tui;

CREATE TABLE inspect_tui.schema_version (
    version     integer PRIMARY KEY CHECK (version > 0),
    name        text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    applied_by  text NOT NULL DEFAULT current_user
);

-- 单位: the organisation that inspects or is inspected, a tree through parent (a county department
-- over its townships). The name is the unit as a session's header carries it (Branch.unit).
CREATE TABLE inspect_tui.units (
    name        text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 200),
    parent      text REFERENCES inspect_tui.units (name) ON UPDATE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (parent IS DISTINCT FROM name)
);

-- Who may do what where: a login role, a unit, and the kind of assignment. A branch account also
-- names its branch (党支部) inside the unit; the others leave it empty.
CREATE TABLE inspect_tui.assignments (
    role_name   text NOT NULL,
    unit        text NOT NULL REFERENCES inspect_tui.units (name) ON UPDATE CASCADE,
    kind        text NOT NULL CHECK (kind IN ('inspector', 'reader', 'branch')),
    branch      text NOT NULL DEFAULT '',
    granted_at  timestamptz NOT NULL DEFAULT now(),
    granted_by  text NOT NULL DEFAULT current_user,
    PRIMARY KEY (role_name, unit, kind, branch),
    CHECK ((kind = 'branch') = (branch <> ''))
);

-- A laptop (or a branch's self-assessment account): its id is made on the laptop (a UUID), so a push
-- needs no round trip first; who registered it is stamped by the server.
CREATE TABLE inspect_tui.devices (
    id             text PRIMARY KEY CHECK (length(id) BETWEEN 8 AND 64),
    label          text NOT NULL DEFAULT '',
    created_by  text NOT NULL DEFAULT current_user,   -- who registered it
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The log every laptop pushes: one change of one session per event, numbered per device. (device_id,
-- seq) is the key, so a repeated push (INSERT … ON CONFLICT DO NOTHING) is a no-op; payload_sha256
-- is computed here (trigger below), and an ALTERED replay — same key, another hash — is refused by
-- a trigger in 0002 (it must read rows the pusher may not see). Events are never updated or deleted
-- (no role is granted UPDATE or DELETE on them).
CREATE TABLE inspect_tui.events (
    device_id       text NOT NULL REFERENCES inspect_tui.devices (id),
    seq             bigint NOT NULL CHECK (seq > 0),
    session_id      text NOT NULL CHECK (length(session_id) BETWEEN 1 AND 100),
    unit            text NOT NULL REFERENCES inspect_tui.units (name) ON UPDATE CASCADE,
    branch          text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('session', 'header', 'answer', 'fact', 'selfcheck',
                                                  'rectification', 'attachment', 'signoff')),
    payload         jsonb NOT NULL,
    -- the next four are the server's (trigger events_stamp): whatever a client sends is overwritten
    payload_sha256  text NOT NULL DEFAULT '',
    author          text NOT NULL DEFAULT current_user,
    author_role     text NOT NULL DEFAULT '',
    received_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, seq)
);
CREATE INDEX events_session ON inspect_tui.events (session_id);
-- A pull asks, per device, for the events above the highest seq it holds (dense per device, pushed in
-- order): unlike received_at or a sequence, that misses nothing a slower transaction commits later.
CREATE INDEX events_unit ON inspect_tui.events (unit, device_id, seq);

-- The current state per session, folded from the events by the sync client, for SQL roll-ups.
CREATE TABLE inspect_tui.sessions (
    id                 text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 100),
    unit               text NOT NULL REFERENCES inspect_tui.units (name) ON UPDATE CASCADE,
    branch             text NOT NULL,
    checklist_id       text NOT NULL,
    checklist_version  text NOT NULL,
    date               date,
    place              text NOT NULL DEFAULT '',
    inspectors         text[] NOT NULL DEFAULT '{}',
    status             text NOT NULL,
    previous           text NOT NULL DEFAULT '',
    total              numeric,   -- NULL: not scored yet (unknown is not zero)
    max_points         numeric,
    percent            numeric,
    grade              text NOT NULL DEFAULT '',
    updated_at         timestamptz NOT NULL,
    updated_by         text NOT NULL
);
CREATE INDEX sessions_unit ON inspect_tui.sessions (unit, branch);

CREATE TABLE inspect_tui.answers (
    session_id       text NOT NULL REFERENCES inspect_tui.sessions (id) ON DELETE CASCADE,
    item             text NOT NULL,
    state            text,
    count            integer,
    note             text NOT NULL DEFAULT '',
    override_points  numeric,
    override_reason  text NOT NULL DEFAULT '',
    deducted         numeric,
    updated_at       timestamptz NOT NULL,
    updated_by       text NOT NULL,
    PRIMARY KEY (session_id, item)
);

CREATE TABLE inspect_tui.facts (
    session_id  text NOT NULL REFERENCES inspect_tui.sessions (id) ON DELETE CASCADE,
    fact        text NOT NULL,
    value       jsonb NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text NOT NULL,
    PRIMARY KEY (session_id, fact)
);

-- 整改事项; the status stored is 待整改 / 已报整改 / 已销号 (逾期 is derived from the deadline).
CREATE TABLE inspect_tui.rectifications (
    session_id   text NOT NULL REFERENCES inspect_tui.sessions (id) ON DELETE CASCADE,
    item         text NOT NULL,
    status       text NOT NULL,
    finding      text NOT NULL DEFAULT '',
    person       text NOT NULL DEFAULT '',
    deadline     date,
    report       text NOT NULL DEFAULT '',
    reported_on  date,
    closed_by    text NOT NULL DEFAULT '',
    closed_on    date,
    note         text NOT NULL DEFAULT '',
    updated_at   timestamptz NOT NULL,
    updated_by   text NOT NULL,
    PRIMARY KEY (session_id, item)
);
CREATE INDEX rectifications_deadline ON inspect_tui.rectifications (deadline) WHERE status <> '已销号';

-- A branch's self-assessment attached to a session (the branch pushes it as a 'selfcheck' event;
-- the sync client folds it here).
CREATE TABLE inspect_tui.selfchecks (
    session_id   text PRIMARY KEY REFERENCES inspect_tui.sessions (id) ON DELETE CASCADE,
    name         text NOT NULL DEFAULT '',
    payload      jsonb NOT NULL,
    attached_by  text NOT NULL DEFAULT '',
    attached_at  text NOT NULL DEFAULT '',
    updated_at   timestamptz NOT NULL,
    updated_by   text NOT NULL
);

-- Evidence, content-addressed: uploaded once, whoever uploads it; the CHECK proves the name is the
-- content's hash, so no client can store other bytes under a known hash. bytea, not a large object:
-- files are bounded (core/session/attachments.py), pg_dump carries bytea, and RLS applies to rows
-- (large objects have their own, coarser, permissions).
CREATE TABLE inspect_tui.attachments (
    sha256       text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content      bytea NOT NULL,
    size         bigint NOT NULL,
    media_type   text NOT NULL,
    created_by   text NOT NULL DEFAULT current_user,  -- who uploaded it first
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (sha256 = encode(sha256(content), 'hex')),
    CHECK (size = octet_length(content))
);

-- Which session and item an attachment is evidence for (what RLS decides who may read it by).
CREATE TABLE inspect_tui.session_attachments (
    session_id  text NOT NULL REFERENCES inspect_tui.sessions (id) ON DELETE CASCADE,
    item        text NOT NULL,
    sha256      text NOT NULL REFERENCES inspect_tui.attachments (sha256),
    name        text NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text NOT NULL,
    PRIMARY KEY (session_id, item, sha256)
);

-- The server stamps who wrote a row and when: a client's values for these columns are overwritten,
-- so they cannot be forged (a column default alone would take whatever the INSERT names).
CREATE FUNCTION inspect_tui.stamp_update() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    NEW.updated_at := now();
    NEW.updated_by := current_user;
    RETURN NEW;
END $$;

CREATE TRIGGER sessions_stamp BEFORE INSERT OR UPDATE ON inspect_tui.sessions
    FOR EACH ROW EXECUTE FUNCTION inspect_tui.stamp_update();
CREATE TRIGGER answers_stamp BEFORE INSERT OR UPDATE ON inspect_tui.answers
    FOR EACH ROW EXECUTE FUNCTION inspect_tui.stamp_update();
CREATE TRIGGER facts_stamp BEFORE INSERT OR UPDATE ON inspect_tui.facts
    FOR EACH ROW EXECUTE FUNCTION inspect_tui.stamp_update();
CREATE TRIGGER rectifications_stamp BEFORE INSERT OR UPDATE ON inspect_tui.rectifications
    FOR EACH ROW EXECUTE FUNCTION inspect_tui.stamp_update();
CREATE TRIGGER selfchecks_stamp BEFORE INSERT OR UPDATE ON inspect_tui.selfchecks
    FOR EACH ROW EXECUTE FUNCTION inspect_tui.stamp_update();
CREATE TRIGGER session_attachments_stamp BEFORE INSERT OR UPDATE ON inspect_tui.session_attachments
    FOR EACH ROW EXECUTE FUNCTION inspect_tui.stamp_update();

-- Rows written once (a laptop registered, a file uploaded): who and when, stamped the same way.
CREATE FUNCTION inspect_tui.stamp_creation() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    NEW.created_at := now();
    NEW.created_by := current_user;
    RETURN NEW;
END $$;
CREATE TRIGGER devices_stamp BEFORE INSERT ON inspect_tui.devices
    FOR EACH ROW EXECUTE FUNCTION inspect_tui.stamp_creation();
CREATE TRIGGER attachments_stamp BEFORE INSERT ON inspect_tui.attachments
    FOR EACH ROW EXECUTE FUNCTION inspect_tui.stamp_creation();

-- An event's hash, author, role and arrival time are the server's, whatever the client sent. The
-- hash is of jsonb's own text form, so the same payload always hashes the same however the client
-- spaced or ordered its JSON. The role is the assignment that lets this author
-- write this unit (inspector first); the policies (0002) decide whether it may.
CREATE FUNCTION inspect_tui.stamp_event() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    NEW.payload_sha256 := encode(sha256(convert_to(NEW.payload::text, 'UTF8')), 'hex');
    NEW.author := current_user;
    NEW.received_at := now();
    NEW.author_role := coalesce(
        (SELECT a.kind FROM inspect_tui.assignments a
          WHERE a.role_name = current_user AND a.unit = NEW.unit AND a.kind IN ('inspector', 'branch')
          ORDER BY a.kind DESC LIMIT 1),
        '');
    RETURN NEW;
END $$;
CREATE TRIGGER events_stamp BEFORE INSERT ON inspect_tui.events
    FOR EACH ROW EXECUTE FUNCTION inspect_tui.stamp_event();
