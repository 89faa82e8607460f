-- Runs once, when the Compose stack's PostgreSQL volume is empty.
-- The services' login role is never a superuser nor exempt from row-level security,
-- so tenant isolation holds for their connections; each service owns its database
-- (its migrations create the tables and enable the pg_trgm extension, a trusted one).
CREATE ROLE clientcard WITH LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB
    PASSWORD 'clientcard';
CREATE DATABASE customers OWNER clientcard;
CREATE DATABASE bonuses OWNER clientcard;
CREATE DATABASE messaging OWNER clientcard;
CREATE DATABASE receipts OWNER clientcard;
