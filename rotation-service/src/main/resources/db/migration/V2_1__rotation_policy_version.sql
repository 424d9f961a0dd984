-- Optimistic locking for PUT /api/v1/rotation-policies/{id}: the ETag a client read, sent back in If-Match.
alter table rotation_policy add column version bigint not null default 0;
