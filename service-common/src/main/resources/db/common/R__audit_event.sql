-- audit_event, the one current definition for every service (service-common's AuditRow writes it,
-- AuditEvent reads it). Every service runs it: quarkus.flyway.locations=db/migration,db/common.
--
-- A repeatable migration written idempotently, because the table already exists in every database
-- created so far: each service's V1 created it and its V2 added "via". Those applied migrations stay
-- as they are (editing one changes its checksum, and Flyway then refuses to start on every existing
-- database). Flyway runs this file after the versioned ones, and again whenever it changes.
--
-- Each step looks in the catalog first (in the schema Flyway migrates, current_schema()) instead of
-- using "if not exists": PostgreSQL answers "if not exists" on an existing object with a NOTICE
-- ("relation … already exists, skipping"), which Flyway logs as a WARN on every start that runs
-- this file, and such lines hide the warnings that matter. A new column goes here, as one more
-- "if not exists (select … information_schema.columns …) then alter table audit_event add column …"
-- step, and into AuditRow's column list; no service migration touches audit_event any more. Being
-- repeatable, it needs no version number that could collide with a service's own.
do $$
begin
    if to_regclass(format('%I.audit_event', current_schema())) is null then
        create table audit_event (
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
    end if;

    -- The service that acted for the actor with the actor's forwarded token (Keyline-Via); null for a direct call.
    if not exists (select 1 from information_schema.columns where table_schema = current_schema()
                   and table_name = 'audit_event' and column_name = 'via') then
        alter table audit_event add column via varchar(100);
    end if;

    -- The W3C trace id (32 hex digits) the event was written in; null when tracing is off.
    if not exists (select 1 from information_schema.columns where table_schema = current_schema()
                   and table_name = 'audit_event' and column_name = 'trace_id') then
        alter table audit_event add column trace_id varchar(32);
    end if;

    if to_regclass(format('%I.audit_event_resource', current_schema())) is null then
        create index audit_event_resource on audit_event (resource_id, occurred_at desc);
    end if;
    if to_regclass(format('%I.audit_event_time', current_schema())) is null then
        create index audit_event_time on audit_event (occurred_at desc);
    end if;
    -- Each filter of GET /api/v1/audit-events has its own index, newest first: without them a filter
    -- matching nothing (actor=nobody) was a parallel scan of the whole table (0.5 s and three
    -- processes at 3 million rows), which any reader could repeat. Building them locks writes to the
    -- table once, for seconds per million rows.
    if to_regclass(format('%I.audit_event_actor', current_schema())) is null then
        create index audit_event_actor on audit_event (actor, occurred_at desc);
    end if;
    if to_regclass(format('%I.audit_event_action', current_schema())) is null then
        create index audit_event_action on audit_event (action, occurred_at desc);
    end if;
    if to_regclass(format('%I.audit_event_outcome', current_schema())) is null then
        create index audit_event_outcome on audit_event (outcome, occurred_at desc);
    end if;
end
$$;
