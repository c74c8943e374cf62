-- 0003: what the server-side report (`inspect-tui report --server`) reads, filled by the sync.
--
-- A push writes, in the same transaction as the session's event, the session's current merged
-- state: its row in `sessions` (now with the checklist's title and hash and the whole Scores record),
-- its answers (with the scored state and deduction of each item), facts, rectifications and
-- self-assessment, and one row per section (`session_sections`). The client computes these from
-- the session it has just merged (scoring is the client's: the server runs no Python); RLS decides,
-- exactly as for the events, whether this author may write this unit (0002's policies cover the
-- tables they name; the new table gets the same two below).
-- `checklists` holds each frozen standard's text once, by its SHA-256 (checked here), so a report
-- can word sections and items as the local report does without downloading a session.

ALTER TABLE inspect_tui.sessions
    ADD COLUMN checklist_title  text NOT NULL DEFAULT '',
    ADD COLUMN checklist_sha256 text NOT NULL DEFAULT '',
    ADD COLUMN scores           jsonb;   -- NULL: pushed by a client older than 0003 (re-sync fills it)

ALTER TABLE inspect_tui.answers
    ADD COLUMN leaf boolean NOT NULL DEFAULT false;   -- the roll-up counts failed LEAF items
CREATE INDEX answers_failed ON inspect_tui.answers (session_id) WHERE state = 'fail' AND leaf;

CREATE TABLE inspect_tui.session_sections (
    session_id  text NOT NULL REFERENCES inspect_tui.sessions (id) ON DELETE CASCADE,
    section     text NOT NULL,
    position    integer NOT NULL,
    max_points  numeric,           -- NULL: unscored standard
    deducted    numeric NOT NULL,
    failed      integer NOT NULL,  -- failed leaf items under it
    PRIMARY KEY (session_id, section)
);

CREATE TABLE inspect_tui.checklists (
    sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    source      text NOT NULL,
    created_by  text NOT NULL DEFAULT current_user,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (sha256 = encode(sha256(convert_to(source, 'UTF8')), 'hex'))
);
CREATE TRIGGER checklists_stamp BEFORE INSERT ON inspect_tui.checklists
    FOR EACH ROW EXECUTE FUNCTION inspect_tui.stamp_creation();

REVOKE ALL ON inspect_tui.session_sections, inspect_tui.checklists FROM PUBLIC;
GRANT SELECT ON inspect_tui.session_sections, inspect_tui.checklists
    TO inspect_inspector, inspect_reader, inspect_branch;
GRANT INSERT, UPDATE, DELETE ON inspect_tui.session_sections TO inspect_inspector;
GRANT INSERT ON inspect_tui.checklists TO inspect_inspector;
-- a session's self-assessment is replaced whole by the push, as its other rows are (0002 granted no DELETE)
GRANT DELETE ON inspect_tui.selfchecks TO inspect_inspector;

ALTER TABLE inspect_tui.session_sections ENABLE ROW LEVEL SECURITY;
ALTER TABLE inspect_tui.session_sections FORCE ROW LEVEL SECURITY;
CREATE POLICY session_read ON inspect_tui.session_sections FOR SELECT
    USING (session_id IN (SELECT id FROM inspect_tui.sessions));
CREATE POLICY session_write ON inspect_tui.session_sections FOR ALL
    USING (session_id IN (SELECT id FROM inspect_tui.sessions WHERE unit IN (SELECT inspect_tui.units_to_write())))
    WITH CHECK (session_id IN (SELECT id FROM inspect_tui.sessions WHERE unit IN (SELECT inspect_tui.units_to_write())));

-- A standard is published text, not a record: every inspector and reader may read every one (a
-- branch account none); an inspector may add one (the CHECK proves text and name agree).
ALTER TABLE inspect_tui.checklists ENABLE ROW LEVEL SECURITY;
ALTER TABLE inspect_tui.checklists FORCE ROW LEVEL SECURITY;
CREATE POLICY staff_read ON inspect_tui.checklists FOR SELECT
    USING (EXISTS (SELECT 1 FROM inspect_tui.units_to_read()));
CREATE POLICY inspector_insert ON inspect_tui.checklists FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM inspect_tui.units_to_write()));

-- The write policy of a session's rows, as 0002 wrote it (`session_id IN (SELECT id FROM sessions
-- WHERE …)`), builds the set of every writable session for each statement — and a push runs one
-- statement per row batch of each session, so a push of n sessions cost O(n²) (200 sessions: 35 s).
-- The same rule as a lookup by the primary key costs one index probe per row. Same meaning: the
-- row's session exists and its unit is one the caller may write.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['answers', 'facts', 'rectifications', 'selfchecks', 'session_attachments',
                             'session_sections'] LOOP
        EXECUTE format('DROP POLICY session_write ON inspect_tui.%I', t);
        EXECUTE format($p$CREATE POLICY session_write ON inspect_tui.%1$I FOR ALL
            USING (EXISTS (SELECT 1 FROM inspect_tui.sessions s WHERE s.id = %1$I.session_id
                           AND s.unit IN (SELECT inspect_tui.units_to_write())))
            WITH CHECK (EXISTS (SELECT 1 FROM inspect_tui.sessions s WHERE s.id = %1$I.session_id
                                AND s.unit IN (SELECT inspect_tui.units_to_write())))$p$, t);
    END LOOP;
END $$;
