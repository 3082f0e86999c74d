-- Every change to what a storefront reads (products, reviews, questions, seller reviews)
-- notifies channel "content_changed" with the client id as payload, after commit (PostgreSQL
-- sends one notification per client and transaction, however many rows changed). API processes
-- cache storefront answers only while they listen, and forget a client's answers when it
-- changes (src/http/response-cache.ts). TRUNCATE notifies an empty payload: forget all.
-- Bodies are E strings with \073 for the semicolon: Prisma's PostgreSQL adapter splits a
-- migration script at every semicolon, even inside a quoted body.
CREATE FUNCTION notify_content_changed() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN PERFORM pg_notify(''content_changed'', COALESCE(NEW.client_id, OLD.client_id)::text)\073 RETURN NULL\073 END';

CREATE FUNCTION notify_content_truncated() RETURNS trigger LANGUAGE plpgsql AS
  E'BEGIN PERFORM pg_notify(''content_changed'', '''')\073 RETURN NULL\073 END';

CREATE TRIGGER products_changed AFTER INSERT OR UPDATE OR DELETE ON products
  FOR EACH ROW EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER reviews_changed AFTER INSERT OR UPDATE OR DELETE ON reviews
  FOR EACH ROW EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER questions_changed AFTER INSERT OR UPDATE OR DELETE ON questions
  FOR EACH ROW EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER seller_reviews_changed AFTER INSERT OR UPDATE OR DELETE ON seller_reviews
  FOR EACH ROW EXECUTE FUNCTION notify_content_changed();

CREATE TRIGGER products_truncated AFTER TRUNCATE ON products
  FOR EACH STATEMENT EXECUTE FUNCTION notify_content_truncated();
CREATE TRIGGER reviews_truncated AFTER TRUNCATE ON reviews
  FOR EACH STATEMENT EXECUTE FUNCTION notify_content_truncated();
CREATE TRIGGER questions_truncated AFTER TRUNCATE ON questions
  FOR EACH STATEMENT EXECUTE FUNCTION notify_content_truncated();
CREATE TRIGGER seller_reviews_truncated AFTER TRUNCATE ON seller_reviews
  FOR EACH STATEMENT EXECUTE FUNCTION notify_content_truncated();
