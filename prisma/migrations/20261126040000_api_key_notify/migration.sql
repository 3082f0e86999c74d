-- Every change to API keys or to clients (whose slug and name a key's viewer carries) notifies
-- channel "api_keys_changed" (payload: the table), after commit. API processes keep verified keys in memory only
-- while they listen to it, and forget them all on each notification (src/auth/key-cache.ts),
-- so a revoked key stops working at once in every process.
-- The function body is an E string with \073 for the semicolon: Prisma's PostgreSQL adapter splits a
-- migration script at every semicolon, even in comments and inside a dollar-quoted body.
CREATE FUNCTION notify_api_keys_changed() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN PERFORM pg_notify(''api_keys_changed'', TG_TABLE_NAME)\073 RETURN NULL\073 END';

CREATE TRIGGER api_keys_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION notify_api_keys_changed();

CREATE TRIGGER clients_changed AFTER UPDATE OR DELETE OR TRUNCATE ON clients
  FOR EACH STATEMENT EXECUTE FUNCTION notify_api_keys_changed();
