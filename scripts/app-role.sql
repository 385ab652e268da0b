-- The dashboard's own login role, and the database it connects to handed to it. Run as the
-- superuser, in the dashboard's database, before the app opens it (scripts/run-county.sh does):
--   psql -U postgres -d lakou -v ON_ERROR_STOP=1 < scripts/app-role.sql
-- The role owns the database and its tables (so the app's migrations can change them) but is no
-- superuser and does not bypass row-level security: the policies the migrations add (0003) hold
-- for it. A database made by an earlier release belongs to the superuser: its tables and sequences
-- are handed over here, and the app's migration then adds the row-level security on opening.
-- Safe to run again: it changes only what is not yet the role's.
DO $$
DECLARE
  item record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lakou_app') THEN
    CREATE ROLE lakou_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF (SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()) <> 'lakou_app' THEN
    EXECUTE format('ALTER DATABASE %I OWNER TO lakou_app', current_database());
  END IF;
  FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> 'lakou_app' LOOP
    EXECUTE format('ALTER TABLE public.%I OWNER TO lakou_app', item.tablename);
  END LOOP;
  -- A sequence of a table's id column has followed its table; any other is handed on its own.
  FOR item IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' AND sequenceowner <> 'lakou_app' LOOP
    EXECUTE format('ALTER SEQUENCE public.%I OWNER TO lakou_app', item.sequencename);
  END LOOP;
END
$$;
