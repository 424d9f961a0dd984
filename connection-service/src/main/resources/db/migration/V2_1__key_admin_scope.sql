-- Key-admin connections declare the Snowflake users whose keys they may change (names or * patterns,
-- one per line); null for every other connection. Existing key-admin connections manage no one
-- until their users are declared (PUT the connection with details.managesUsers).
alter table connection add column manages_users varchar(26000);
