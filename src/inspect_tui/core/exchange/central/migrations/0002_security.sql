-- 0002: who sees what, decided by PostgreSQL: group roles, grants, row-level security.
--
-- Group roles (NOLOGIN; a person is a LOGIN role made a member by `inspect-tui server grant`):
--   inspect_inspector  reads and writes the sessions and events of the units assigned to them
--   inspect_reader     (a department) reads everything of its units and their descendants, writes nothing
--   inspect_branch     (a branch's self-assessment account) inserts self-check events for its own branch
-- Roles are the cluster's, not the database's: created here if missing (two databases on one cluster
-- share them; the assignments, which decide everything, are per database).
-- The grants say what a group may ever do; the policies say on which rows, reading the assignments
-- through current_user. The app's roles own nothing; the owner (the admin who ran `server init`) is
-- bound too (FORCE ROW LEVEL SECURITY) on the record tables — a superuser is not: PostgreSQL lets
-- superusers and BYPASSRLS roles past every policy, so the admin should not be a superuser in use.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['inspect_inspector', 'inspect_reader', 'inspect_branch'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- another database's init made it at the same moment
            END;
        END IF;
    END LOOP;
END $$;

REVOKE ALL ON SCHEMA inspect_tui FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA inspect_tui FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA inspect_tui FROM PUBLIC;
-- functions a later migration creates are not executable by everyone either (tables never are)
ALTER DEFAULT PRIVILEGES IN SCHEMA inspect_tui REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT USAGE ON SCHEMA inspect_tui TO inspect_inspector, inspect_reader, inspect_branch;

-- The units a caller may act on. Plain SQL functions run as the invoker (NOT SECURITY DEFINER): so
-- current_user inside is the caller, no privilege is borrowed, and what they read (the caller's own
-- assignments) is itself under RLS. search_path is fixed so that no schema a caller puts first can
-- shadow the tables or operators they use. STABLE: called as an uncorrelated sub-select in the
-- policies, evaluated once per query, not per row.
CREATE FUNCTION inspect_tui.units_to_write() RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = pg_catalog, inspect_tui AS $$
    SELECT unit FROM inspect_tui.assignments WHERE role_name = current_user AND kind = 'inspector'
$$;

-- An inspector reads its own units; a reader its units and every unit below them.
CREATE FUNCTION inspect_tui.units_to_read() RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = pg_catalog, inspect_tui AS $$
    WITH RECURSIVE below(name) AS (
        SELECT unit FROM inspect_tui.assignments WHERE role_name = current_user AND kind = 'reader'
        UNION
        SELECT u.name FROM inspect_tui.units u JOIN below b ON u.parent = b.name
    )
    SELECT name FROM below
    UNION
    SELECT unit FROM inspect_tui.assignments WHERE role_name = current_user AND kind = 'inspector'
$$;

-- The branches a self-assessment account speaks for, as "unit/branch" pairs.
CREATE FUNCTION inspect_tui.own_branches() RETURNS TABLE (unit text, branch text)
LANGUAGE sql STABLE SET search_path = pg_catalog, inspect_tui AS $$
    SELECT unit, branch FROM inspect_tui.assignments WHERE role_name = current_user AND kind = 'branch'
$$;

GRANT EXECUTE ON FUNCTION inspect_tui.units_to_write(), inspect_tui.units_to_read(), inspect_tui.own_branches()
    TO inspect_inspector, inspect_reader, inspect_branch;

-- What each group may ever do (the policies narrow it to rows). No UPDATE or DELETE on events for
-- anyone: the log is append-only. The branch group may SELECT, so that "reads nothing" is the
-- policies' answer (0 rows), and is tested as such.
GRANT SELECT ON inspect_tui.units, inspect_tui.assignments, inspect_tui.schema_version
    TO inspect_inspector, inspect_reader, inspect_branch;
GRANT SELECT ON inspect_tui.events, inspect_tui.sessions, inspect_tui.answers, inspect_tui.facts,
    inspect_tui.rectifications, inspect_tui.selfchecks, inspect_tui.attachments,
    inspect_tui.session_attachments, inspect_tui.devices
    TO inspect_inspector, inspect_reader, inspect_branch;
GRANT INSERT ON inspect_tui.events, inspect_tui.devices TO inspect_inspector, inspect_branch;
GRANT INSERT, UPDATE ON inspect_tui.sessions, inspect_tui.answers, inspect_tui.facts,
    inspect_tui.rectifications, inspect_tui.selfchecks, inspect_tui.session_attachments
    TO inspect_inspector;
GRANT DELETE ON inspect_tui.answers, inspect_tui.facts, inspect_tui.rectifications,
    inspect_tui.session_attachments TO inspect_inspector;
GRANT INSERT ON inspect_tui.attachments TO inspect_inspector;

-- Row-level security. FORCE on the record tables binds their owner as well. units and assignments
-- are the admin's to manage (`server grant`), so their owner is not bound; the app's roles see only
-- their own assignments and the units they may read.
ALTER TABLE inspect_tui.assignments ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON inspect_tui.assignments FOR SELECT USING (role_name = current_user);

-- The list of units is the organisation's structure, not a record: inspectors and readers see all of
-- it (units_to_read walks it, so the tree must be visible to them whole — a policy calling
-- units_to_read here would recurse); a branch account sees only its own unit.
ALTER TABLE inspect_tui.units ENABLE ROW LEVEL SECURITY;
CREATE POLICY readable ON inspect_tui.units FOR SELECT USING (
    EXISTS (SELECT 1 FROM inspect_tui.assignments WHERE role_name = current_user AND kind IN ('inspector', 'reader'))
    OR name IN (SELECT unit FROM inspect_tui.assignments WHERE role_name = current_user));

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['devices', 'events', 'sessions', 'answers', 'facts', 'rectifications',
                             'selfchecks', 'attachments', 'session_attachments'] LOOP
        EXECUTE format('ALTER TABLE inspect_tui.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE inspect_tui.%I FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END $$;

-- A device is its registrant's: seen and pushed from only by them.
CREATE POLICY own_read ON inspect_tui.devices FOR SELECT USING (created_by = current_user);
CREATE POLICY own_insert ON inspect_tui.devices FOR INSERT WITH CHECK (created_by = current_user);

-- Events: read by inspectors and readers of the unit; written by an inspector of the unit, or (only
-- a 'selfcheck') by the branch's own account; always from a device of the author's own.
CREATE POLICY unit_read ON inspect_tui.events FOR SELECT
    USING (unit IN (SELECT inspect_tui.units_to_read()));
CREATE POLICY unit_insert ON inspect_tui.events FOR INSERT WITH CHECK (
    device_id IN (SELECT id FROM inspect_tui.devices WHERE created_by = current_user)
    AND (unit IN (SELECT inspect_tui.units_to_write())
         OR (kind = 'selfcheck' AND (unit, branch) IN (SELECT unit, branch FROM inspect_tui.own_branches()))));

CREATE POLICY unit_read ON inspect_tui.sessions FOR SELECT
    USING (unit IN (SELECT inspect_tui.units_to_read()));
CREATE POLICY unit_insert ON inspect_tui.sessions FOR INSERT
    WITH CHECK (unit IN (SELECT inspect_tui.units_to_write()));
CREATE POLICY unit_update ON inspect_tui.sessions FOR UPDATE
    USING (unit IN (SELECT inspect_tui.units_to_write()))
    WITH CHECK (unit IN (SELECT inspect_tui.units_to_write()));

-- A session's rows follow the session: readable where the session is (its policy applies inside
-- the sub-select), writable where its unit is the caller's to write.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['answers', 'facts', 'rectifications', 'selfchecks', 'session_attachments'] LOOP
        EXECUTE format($p$CREATE POLICY session_read ON inspect_tui.%I FOR SELECT
            USING (session_id IN (SELECT id FROM inspect_tui.sessions))$p$, t);
        EXECUTE format($p$CREATE POLICY session_write ON inspect_tui.%I FOR ALL
            USING (session_id IN (SELECT id FROM inspect_tui.sessions
                                   WHERE unit IN (SELECT inspect_tui.units_to_write())))
            WITH CHECK (session_id IN (SELECT id FROM inspect_tui.sessions
                                        WHERE unit IN (SELECT inspect_tui.units_to_write())))$p$, t);
    END LOOP;
END $$;

-- An attachment is read by whoever may read a session it is evidence for; any inspector may upload
-- (the CHECK in 0001 proves content and name agree, so an upload can only add true bytes).
CREATE POLICY linked_read ON inspect_tui.attachments FOR SELECT
    USING (sha256 IN (SELECT sha256 FROM inspect_tui.session_attachments));
CREATE POLICY inspector_insert ON inspect_tui.attachments FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM inspect_tui.units_to_write()));

-- An altered replay is refused, whoever pushes it. The check must read the event already stored
-- under the key, which the pusher may not be allowed to see (a branch account sees no event, an
-- inspector moved to another unit no longer sees its old ones), so it runs as inspect_replay_check:
-- a NOLOGIN role of its own that may read three columns of every event and nothing else. The
-- function is SECURITY DEFINER owned by that role (not by the admin, whom FORCE binds), with a
-- fixed search_path, and, being a trigger function, cannot be called directly to probe for hashes.
-- (Two pushes of one key racing in separate transactions both pass this check; the second then
-- meets the primary key and ON CONFLICT DO NOTHING skips it — a device pushes its log in order, one
-- sync at a time, so only a misbehaving client can get there, and it only loses its own write.)
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'inspect_replay_check') THEN
        BEGIN
            CREATE ROLE inspect_replay_check NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END $$;
-- the admin is made a member only long enough to hand the function over (ALTER … OWNER needs it),
-- then not: a member would inherit the policy below and see every event past FORCE
GRANT inspect_replay_check TO current_user;
GRANT USAGE, CREATE ON SCHEMA inspect_tui TO inspect_replay_check;
GRANT SELECT (device_id, seq, payload_sha256) ON inspect_tui.events TO inspect_replay_check;
CREATE POLICY replay_check ON inspect_tui.events FOR SELECT TO inspect_replay_check USING (true);

CREATE FUNCTION inspect_tui.refuse_altered_replay() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, inspect_tui AS $$
DECLARE
    stored text;
BEGIN
    SELECT e.payload_sha256 INTO stored FROM inspect_tui.events e
     WHERE e.device_id = NEW.device_id AND e.seq = NEW.seq;
    IF FOUND AND stored <> NEW.payload_sha256 THEN
        RAISE EXCEPTION 'altered replay: event % of device % is already stored with another payload', NEW.seq, NEW.device_id
            USING ERRCODE = 'unique_violation';
    END IF;
    RETURN NEW;
END $$;
ALTER FUNCTION inspect_tui.refuse_altered_replay() OWNER TO inspect_replay_check;
REVOKE CREATE ON SCHEMA inspect_tui FROM inspect_replay_check;
REVOKE inspect_replay_check FROM current_user;
REVOKE ALL ON FUNCTION inspect_tui.refuse_altered_replay() FROM PUBLIC;
-- fires after events_stamp (triggers fire in name order), so it compares the server's hash
CREATE TRIGGER events_verify_replay BEFORE INSERT ON inspect_tui.events
    FOR EACH ROW EXECUTE FUNCTION inspect_tui.refuse_altered_replay();
