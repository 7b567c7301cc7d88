-- The server logs in as bosun_app and never as the owner, so it can no longer run migrations
-- at start unless it is also given the owner's URL (database.migrate_url). Without it, it
-- checks that the schema is current and refuses to serve an older one; that check reads which
-- migrations have run, which bosun_app may do from here on (read only: the owner writes them).
-- The runtime role's LOGIN and password are the operator's to set (README, "Several instances
-- on PostgreSQL"), never a migration's.

GRANT SELECT ON _sqlx_migrations TO bosun_app;
