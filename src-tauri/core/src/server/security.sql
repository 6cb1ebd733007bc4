-- Forsat team server: who may read and write what, enforced by PostgreSQL itself.
-- Run by the owner of the tables (`forsat server init` / `upgrade`), never by a
-- client; idempotent. `@client@`, `@admin@`, `@manager@`, `@salesperson@` are the
-- group roles of this database (quoted identifiers, filled in by server.rs).
--
-- Clients connect as their own login role, a member of one of the three Forsat role
-- groups, which are members of the client group. The rules mirror the service layer's
-- (`domain::opportunity::visible_to`, `service::conditions`): tests/security.rs proves
-- both answer alike.

-- No client creates anything in the schema (PostgreSQL 15 already revokes this from
-- PUBLIC; an older server might not).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO @client@;

-- Who is asking: the Forsat user whose login role opened this session.
CREATE OR REPLACE FUNCTION forsat_me() RETURNS integer
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT u.id FROM users u
     WHERE u.active AND session_user = current_database() || '.' || u.username
$$;

CREATE OR REPLACE FUNCTION forsat_my_role() RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT u.role FROM users u
     WHERE u.active AND session_user = current_database() || '.' || u.username
$$;

-- Administrators see every opportunity, and so do managers while the office has no
-- teams; otherwise a manager sees their teams' (forsat_overseen) and a salesperson
-- their own. `service::teams::scope` is the app's side of the same rule.
CREATE OR REPLACE FUNCTION forsat_sees_all() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(forsat_my_role() = 'admin'
                    OR (forsat_my_role() = 'manager' AND NOT EXISTS (SELECT 1 FROM teams)), false)
$$;

-- The users whose work the caller sees: themselves, and for a manager everyone in the
-- teams they lead and below (the team_oversight view, which the app reads too).
CREATE OR REPLACE FUNCTION forsat_overseen() RETURNS integer[]
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT ARRAY(SELECT forsat_me()
                 UNION
                 SELECT o.user_id FROM team_oversight o
                  WHERE forsat_my_role() = 'manager' AND o.manager_user_id = forsat_me())
$$;

-- Managers and administrators keep the catalogue and campaigns.
CREATE OR REPLACE FUNCTION forsat_manages() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(forsat_my_role() IN ('admin', 'manager'), false)
$$;

-- The owner of the tables (or a superuser): server init and upgrade, not a client.
CREATE OR REPLACE FUNCTION forsat_is_owner() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = session_user AND r.rolsuper)
        OR session_user = (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = 'public.users'::regclass)
$$;

CREATE OR REPLACE FUNCTION forsat_is_admin() RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(forsat_my_role() = 'admin', false)
$$;

REVOKE ALL ON FUNCTION forsat_me(), forsat_my_role(), forsat_sees_all(), forsat_overseen(), forsat_manages(),
  forsat_is_admin(), forsat_is_owner() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION forsat_me(), forsat_my_role(), forsat_sees_all(), forsat_overseen(), forsat_manages(),
  forsat_is_admin(), forsat_is_owner() TO @client@;

-- A user's login role: created, given its password and its Forsat role group, allowed
-- or refused to log in. Administrators (and the owner) only; usernames as the app
-- accepts them.
CREATE OR REPLACE FUNCTION forsat_sync_login(p_username text, p_role text, p_active boolean, p_password text)
  RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  login text := current_database() || '.' || p_username;
  g text;
BEGIN
  IF NOT (forsat_is_owner() OR forsat_is_admin()) THEN
    RAISE EXCEPTION 'forsat: only an administrator manages sign-ins' USING ERRCODE = '42501';
  END IF;
  IF p_role NOT IN ('admin', 'manager', 'salesperson') THEN
    RAISE EXCEPTION 'forsat: unknown role %', p_role USING ERRCODE = '22023';
  END IF;
  IF p_username !~ '^[a-z0-9._-]{1,64}$' OR length(login) > 63 THEN
    RAISE EXCEPTION 'forsat: unusable username %', p_username USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', login);
  END IF;
  EXECUTE format('ALTER ROLE %I %s', login, CASE WHEN p_active THEN 'LOGIN' ELSE 'NOLOGIN' END);
  IF p_password IS NOT NULL THEN
    EXECUTE format('ALTER ROLE %I PASSWORD %L', login, p_password);
  END IF;
  FOREACH g IN ARRAY ARRAY['admin', 'manager', 'salesperson'] LOOP
    IF g = p_role THEN
      EXECUTE format('GRANT %I TO %I', current_database() || '/' || g, login);
    ELSE
      EXECUTE format('REVOKE %I FROM %I', current_database() || '/' || g, login);
    END IF;
  END LOOP;
END $$;
REVOKE ALL ON FUNCTION forsat_sync_login(text, text, boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION forsat_sync_login(text, text, boolean, text) TO @admin@;

-- Work is handed only to someone whose work one sees (a salesperson: nobody else, a
-- manager: their teams), and nobody rewrites who created a row: what WITH CHECK cannot
-- see (the old row) a trigger checks.
CREATE OR REPLACE FUNCTION forsat_guard_opportunity() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  -- The owner (server init, upgrades) is not a Forsat client.
  IF forsat_is_owner() THEN RETURN NEW; END IF;
  IF TG_OP = 'UPDATE' AND NEW.created_by IS DISTINCT FROM OLD.created_by THEN
    RAISE EXCEPTION 'forsat: created_by is not changed' USING ERRCODE = '42501';
  END IF;
  IF TG_OP = 'INSERT' AND NEW.created_by IS DISTINCT FROM forsat_me() THEN
    RAISE EXCEPTION 'forsat: rows are created in one''s own name' USING ERRCODE = '42501';
  END IF;
  IF NOT forsat_sees_all()
     AND NEW.assigned_user_id IS NOT NULL
     AND NOT coalesce(NEW.assigned_user_id = ANY(forsat_overseen()), false)
     AND (TG_OP = 'INSERT' OR NEW.assigned_user_id IS DISTINCT FROM OLD.assigned_user_id) THEN
    RAISE EXCEPTION 'forsat: work is assigned only within one''s own team' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS forsat_guard ON opportunities;
CREATE TRIGGER forsat_guard BEFORE INSERT OR UPDATE ON opportunities
  FOR EACH ROW EXECUTE FUNCTION forsat_guard_opportunity();
-- Activities follow the same two rules (they have the same two columns).
DROP TRIGGER IF EXISTS forsat_guard ON activities;
CREATE TRIGGER forsat_guard BEFORE INSERT OR UPDATE ON activities
  FOR EACH ROW EXECUTE FUNCTION forsat_guard_opportunity();

-- Privileges by table. Everything a client may do at all; the policies below narrow
-- the rows. No client may TRUNCATE, change a table or write the change log's past.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO @client@;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO @client@;
GRANT INSERT, UPDATE, DELETE ON
  opportunities, opportunity_lines, opportunity_competitors, stage_history, custom_field_values,
  financial_records, financial_lines, identities, identity_phones, identity_emails,
  identity_addresses, record_tags, number_sequences, user_settings,
  products, product_categories, campaigns, pipelines, stages, system_items, custom_fields, settings,
  teams, team_members, activities, notifications
  TO @client@;
-- An opportunity's realized sum is kept by the invoices' triggers (migration
-- m20261207_000010_stage_flows): a client writes every other column, never that one.
REVOKE INSERT, UPDATE ON opportunities FROM @client@;
DO $$
DECLARE cols text;
BEGIN
  SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO cols
    FROM information_schema.columns
   WHERE table_schema = 'public' AND table_name = 'opportunities' AND column_name <> 'realized_amount';
  EXECUTE format('GRANT INSERT (%s), UPDATE (%s) ON opportunities TO @client@', cols, cols);
END $$;
-- Comments are written once and never edited.
GRANT INSERT ON comments TO @client@;
GRANT INSERT, UPDATE ON users TO @admin@;
REVOKE UPDATE, DELETE, TRUNCATE ON change_log FROM @client@;
GRANT INSERT ON change_log TO @client@;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON seaql_migrations FROM @client@;

-- Row-level security. `(SELECT f())` is evaluated once per statement, not per row.
ALTER TABLE opportunities ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_rows ON opportunities;
CREATE POLICY forsat_rows ON opportunities TO @client@
  USING ((SELECT forsat_sees_all())
         OR assigned_user_id = ANY ((SELECT forsat_overseen())::integer[])
         OR created_by = ANY ((SELECT forsat_overseen())::integer[]))
  WITH CHECK ((SELECT forsat_sees_all())
         OR assigned_user_id = ANY ((SELECT forsat_overseen())::integer[])
         OR created_by = ANY ((SELECT forsat_overseen())::integer[]));

-- What hangs from an opportunity follows it (the subquery is itself filtered).
ALTER TABLE opportunity_lines ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_rows ON opportunity_lines;
CREATE POLICY forsat_rows ON opportunity_lines TO @client@
  USING (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id))
  WITH CHECK (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id));

ALTER TABLE opportunity_competitors ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_rows ON opportunity_competitors;
CREATE POLICY forsat_rows ON opportunity_competitors TO @client@
  USING (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id))
  WITH CHECK (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id));

ALTER TABLE stage_history ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_rows ON stage_history;
CREATE POLICY forsat_rows ON stage_history TO @client@
  USING (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id))
  WITH CHECK (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id));

ALTER TABLE custom_field_values ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_rows ON custom_field_values;
CREATE POLICY forsat_rows ON custom_field_values TO @client@
  USING (NOT EXISTS (SELECT 1 FROM custom_fields f WHERE f.id = field_id AND f.entity = 'opportunity')
         OR EXISTS (SELECT 1 FROM opportunities o WHERE o.id = record_id))
  WITH CHECK (NOT EXISTS (SELECT 1 FROM custom_fields f WHERE f.id = field_id AND f.entity = 'opportunity')
         OR EXISTS (SELECT 1 FROM opportunities o WHERE o.id = record_id));

-- Activities: those of an opportunity one may see, and those assigned to or created by
-- someone whose work one sees.
ALTER TABLE activities ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_rows ON activities;
CREATE POLICY forsat_rows ON activities TO @client@
  USING ((SELECT forsat_sees_all())
         OR assigned_user_id = ANY ((SELECT forsat_overseen())::integer[])
         OR created_by = ANY ((SELECT forsat_overseen())::integer[])
         OR (opportunity_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id)))
  WITH CHECK ((SELECT forsat_sees_all())
         OR assigned_user_id = ANY ((SELECT forsat_overseen())::integer[])
         OR created_by = ANY ((SELECT forsat_overseen())::integer[])
         OR (opportunity_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id)));

-- Comments: read and written on the opportunities one may see, in one's own name.
ALTER TABLE comments ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_read ON comments;
CREATE POLICY forsat_read ON comments FOR SELECT TO @client@
  USING (EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id));
DROP POLICY IF EXISTS forsat_write ON comments;
CREATE POLICY forsat_write ON comments FOR INSERT TO @client@
  WITH CHECK (author_id = (SELECT forsat_me())
              AND EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id));

-- Notifications: one reads, marks and deletes one's own; a mention is sent in one's own
-- name, about an opportunity one may see.
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_own ON notifications;
CREATE POLICY forsat_own ON notifications FOR SELECT TO @client@
  USING (user_id = (SELECT forsat_me()));
DROP POLICY IF EXISTS forsat_mark ON notifications;
CREATE POLICY forsat_mark ON notifications FOR UPDATE TO @client@
  USING (user_id = (SELECT forsat_me())) WITH CHECK (user_id = (SELECT forsat_me()));
DROP POLICY IF EXISTS forsat_clear ON notifications;
CREATE POLICY forsat_clear ON notifications FOR DELETE TO @client@
  USING (user_id = (SELECT forsat_me()));
DROP POLICY IF EXISTS forsat_send ON notifications;
CREATE POLICY forsat_send ON notifications FOR INSERT TO @client@
  WITH CHECK (actor_id = (SELECT forsat_me())
              AND opportunity_id IS NOT NULL
              AND EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id));

-- Financial records: what someone whose work one sees created, and the children of
-- an opportunity one may see.
ALTER TABLE financial_records ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_rows ON financial_records;
CREATE POLICY forsat_rows ON financial_records TO @client@
  USING ((SELECT forsat_sees_all())
         OR created_by = ANY ((SELECT forsat_overseen())::integer[])
         OR (opportunity_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id)))
  WITH CHECK ((SELECT forsat_sees_all())
         OR created_by = ANY ((SELECT forsat_overseen())::integer[])
         OR (opportunity_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM opportunities o WHERE o.id = opportunity_id)));

ALTER TABLE financial_lines ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_rows ON financial_lines;
CREATE POLICY forsat_rows ON financial_lines TO @client@
  USING (EXISTS (SELECT 1 FROM financial_records r WHERE r.id = record_id))
  WITH CHECK (EXISTS (SELECT 1 FROM financial_records r WHERE r.id = record_id));

-- The change log: read what you may see, add rows in your own name, never rewrite.
ALTER TABLE change_log ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_read ON change_log;
CREATE POLICY forsat_read ON change_log FOR SELECT TO @client@
  USING (CASE entity
           WHEN 'opportunity' THEN (SELECT forsat_sees_all())
                                OR EXISTS (SELECT 1 FROM opportunities o WHERE o.id = record_id)
           WHEN 'financial_record' THEN (SELECT forsat_sees_all())
                                OR EXISTS (SELECT 1 FROM financial_records r WHERE r.id = record_id)
           WHEN 'activity' THEN (SELECT forsat_sees_all())
                                OR EXISTS (SELECT 1 FROM activities a WHERE a.id = record_id)
           WHEN 'comment' THEN (SELECT forsat_sees_all())
                                OR EXISTS (SELECT 1 FROM comments c WHERE c.id = record_id)
           WHEN 'user' THEN (SELECT forsat_is_admin()) OR record_id = (SELECT forsat_me())
           ELSE true
         END);
DROP POLICY IF EXISTS forsat_write ON change_log;
CREATE POLICY forsat_write ON change_log FOR INSERT TO @client@
  WITH CHECK (user_id = (SELECT forsat_me()));

-- Personalization, settings and the organisation: everyone reads, administrators write.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['pipelines', 'stages', 'system_items', 'custom_fields', 'settings', 'users', 'teams', 'team_members'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS forsat_read ON %I', t);
    EXECUTE format('CREATE POLICY forsat_read ON %I FOR SELECT TO @client@ USING (true)', t);
    EXECUTE format('DROP POLICY IF EXISTS forsat_write ON %I', t);
    EXECUTE format('CREATE POLICY forsat_write ON %I FOR ALL TO @client@ USING ((SELECT forsat_is_admin())) WITH CHECK ((SELECT forsat_is_admin()))', t);
  END LOOP;
  -- The catalogue and campaigns: managers and administrators write.
  FOREACH t IN ARRAY ARRAY['products', 'product_categories', 'campaigns'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS forsat_read ON %I', t);
    EXECUTE format('CREATE POLICY forsat_read ON %I FOR SELECT TO @client@ USING (true)', t);
    EXECUTE format('DROP POLICY IF EXISTS forsat_write ON %I', t);
    EXECUTE format('CREATE POLICY forsat_write ON %I FOR ALL TO @client@ USING ((SELECT forsat_manages())) WITH CHECK ((SELECT forsat_manages()))', t);
  END LOOP;
END $$;

-- The report totals (migration m20261205_000009_report_totals): read under the same
-- rule as the opportunities they count (a bucket is keyed by its assigned user and its
-- creator), written only by the triggers' SECURITY DEFINER functions and by
-- forsat_rebuild_totals, which administrators may call when they change the time zone.
ALTER TABLE opportunity_totals ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_read ON opportunity_totals;
CREATE POLICY forsat_read ON opportunity_totals FOR SELECT TO @client@
  USING ((SELECT forsat_sees_all())
         OR assigned_user_id = ANY ((SELECT forsat_overseen())::integer[])
         OR created_by = ANY ((SELECT forsat_overseen())::integer[]));
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON opportunity_totals, report_periods, report_totals_state FROM @client@;
REVOKE ALL ON FUNCTION forsat_rebuild_totals(text, text, text), forsat_totals_inserted(), forsat_totals_updated(),
  forsat_totals_deleted(), forsat_totals_truncated() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION forsat_rebuild_totals(text, text, text) TO @admin@;

-- The stage flows and close durations (migration m20261207_000010_stage_flows): the
-- same rule (their rows and buckets carry the opportunity's assigned user and creator), written only
-- by the triggers' SECURITY DEFINER functions and by forsat_rebuild_stage_flows, which
-- administrators call when they change the stages' order or kinds.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['opportunity_stage_flows', 'stage_flow_totals', 'close_duration_totals'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS forsat_read ON %I', t);
    EXECUTE format('CREATE POLICY forsat_read ON %I FOR SELECT TO @client@ USING ((SELECT forsat_sees_all()) '
      'OR assigned_user_id = ANY ((SELECT forsat_overseen())::integer[]) '
      'OR created_by = ANY ((SELECT forsat_overseen())::integer[]))', t);
  END LOOP;
END $$;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON opportunity_stage_flows, stage_flow_totals, close_duration_totals,
  stage_flows_state FROM @client@;
REVOKE ALL ON FUNCTION forsat_flows_history_inserted(), forsat_flows_history_updated(), forsat_flows_history_deleted(),
  forsat_flows_opportunities_updated(), forsat_flows_opportunities_deleted(), forsat_flows_inserted(),
  forsat_flows_updated(), forsat_flows_deleted(), forsat_flows_truncated(), forsat_flows_stage_changed(),
  forsat_durations_inserted(), forsat_durations_updated(), forsat_durations_deleted(),
  forsat_realized_inserted(), forsat_realized_updated(), forsat_realized_deleted(),
  forsat_rebuild_stage_flows(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION forsat_rebuild_stage_flows(text) TO @admin@;

-- One's own preferences only.
ALTER TABLE user_settings ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS forsat_rows ON user_settings;
CREATE POLICY forsat_rows ON user_settings TO @client@
  USING (user_id = (SELECT forsat_me()))
  WITH CHECK (user_id = (SELECT forsat_me()));

-- Live changes: every statement that adds change-log rows tells the listening apps,
-- on commit only (a rolled-back transaction sends nothing). The payload is empty —
-- never an id: each app reads the rows through its own connection, so row-level
-- security decides what it learns (`forsat_core::live`). Empty payloads of one
-- transaction collapse into one notification.
CREATE OR REPLACE FUNCTION forsat_notify_change() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('forsat_changes', '');
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS forsat_notify ON change_log;
CREATE TRIGGER forsat_notify AFTER INSERT ON change_log
  FOR EACH STATEMENT EXECUTE FUNCTION forsat_notify_change();
