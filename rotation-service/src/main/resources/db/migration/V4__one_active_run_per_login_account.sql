-- A connection may name its account with the locator's region (xy12345.eu-central-1) or without it
-- (xy12345): a key-pair login names both XY12345, one user with one pair of key slots (connection-service
-- compares accounts the same way for key holders and the user lock). One active run between them, then.
drop index rotation_run_one_active;
create unique index rotation_run_one_active on rotation_run (split_part(lower(account), '.', 1), lower(snowflake_user))
    where state not in ('DONE', 'ROLLED_BACK', 'NEEDS_ATTENTION', 'CLOSED');
