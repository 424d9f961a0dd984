-- Names are unique regardless of case (issue #12): name_key is ResourceNames.key(name), computed by the
-- service in Java rather than lower(name) here, because PostgreSQL's lower() follows the database's
-- collation (under the C locale it folds ASCII only) and the application's check must agree with
-- the index for every script. Names written so far are ASCII, for which lower() is that same key;
-- a second row whose name differs from an earlier one only in case keeps a distinct key (its id
-- appended) so the migration never fails on existing data; renaming it gives it the plain key.
alter table connection add column name_key varchar(1000);
update connection t set name_key = case when r.n = 1 then lower(t.name) else lower(t.name) || '#' || t.id end
  from (select id, row_number() over (partition by lower(name) order by created_at, id) as n from connection) r
 where r.id = t.id;
alter table connection alter column name_key set not null;
create unique index connection_name_key_unique on connection (name_key);
