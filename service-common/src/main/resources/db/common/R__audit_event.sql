-- audit_event, the one current definition for every service (service-common's AuditRow writes it,
-- AuditEvent reads it). Every service runs it: quarkus.flyway.locations=db/migration,db/common.
--
-- A repeatable migration written idempotently, because the table already exists in every database
-- created so far: each service's V1 created it and its V2 added "via". Those applied migrations stay
-- as they are (editing one changes its checksum, and Flyway then refuses to start on every existing
-- database). Flyway runs this file after the versioned ones, and again whenever it changes; on an
-- existing table "if not exists" makes it a no-op. A new column goes here, as
-- "alter table audit_event add column if not exists …", and into AuditRow's column list; no service
-- migration touches audit_event any more. Being repeatable, it needs no version number that could
-- collide with a service's own.
create table if not exists audit_event (
    id            uuid primary key,
    occurred_at   timestamp with time zone not null,
    actor         varchar(200) not null,
    action        varchar(100) not null,
    resource_type varchar(100) not null,
    resource_id   varchar(100),
    outcome       varchar(20)  not null,
    fingerprints  varchar(1000),
    detail        varchar(2000)
);

-- The service that acted for the actor with the actor's forwarded token (Keyline-Via); null for a direct call.
alter table audit_event add column if not exists via varchar(100);

-- The W3C trace id (32 hex digits) the event was written in; null when tracing is off.
alter table audit_event add column if not exists trace_id varchar(32);

create index if not exists audit_event_resource on audit_event (resource_id, occurred_at desc);
create index if not exists audit_event_time on audit_event (occurred_at desc);
