create table rotation_policy (
    id             uuid primary key,
    connection_id  uuid not null unique,
    account        varchar(255) not null,
    snowflake_user varchar(255) not null,
    schedule       varchar(200) not null,
    window_start   varchar(5),
    window_end     varchar(5),
    window_zone    varchar(64),
    key_size       integer not null,
    grace_period   varchar(50) not null,
    max_attempts   integer not null,
    enabled        boolean not null,
    next_due_at    timestamp with time zone,
    last_rotated_at timestamp with time zone,
    created_at     timestamp with time zone not null,
    created_by     varchar(200) not null,
    updated_at     timestamp with time zone not null,
    updated_by     varchar(200) not null
);
create index rotation_policy_due on rotation_policy (next_due_at) where enabled;

create table rotation_run (
    id                   uuid primary key,
    connection_id        uuid not null,
    policy_id            uuid,
    account              varchar(255) not null,
    snowflake_user       varchar(255) not null,
    state                varchar(20) not null,
    trigger_kind         varchar(20) not null,
    adopt                boolean not null,
    key_size             integer not null,
    grace_period_seconds bigint not null,
    max_attempts         integer not null,
    attempts             integer not null,
    old_fingerprint      varchar(100),
    old_slot             integer,
    target_slot          integer,
    new_fingerprint      varchar(100),
    drain_until          timestamp with time zone,
    next_attempt_at      timestamp with time zone not null,
    last_error_type      varchar(200),
    last_error_detail    varchar(2000),
    lease_owner          varchar(200),
    lease_until          timestamp with time zone,
    created_by           varchar(200),
    created_at           timestamp with time zone not null,
    started_at           timestamp with time zone,
    finished_at          timestamp with time zone
);
-- One active run per Snowflake user: a second POST (or a replica's scheduler) gets a unique violation -> 409.
create unique index rotation_run_one_active on rotation_run (lower(account), lower(snowflake_user))
    where state not in ('DONE', 'ROLLED_BACK', 'NEEDS_ATTENTION');
create index rotation_run_due on rotation_run (next_attempt_at)
    where state not in ('DONE', 'ROLLED_BACK', 'NEEDS_ATTENTION');
create index rotation_run_connection on rotation_run (connection_id, created_at desc);

create table rotation_step (
    id          bigserial primary key,
    run_id      uuid not null references rotation_run (id) on delete cascade,
    step        varchar(20) not null,
    outcome     varchar(20) not null,
    started_at  timestamp with time zone not null,
    finished_at timestamp with time zone not null,
    detail      varchar(2000)
);
create index rotation_step_run on rotation_step (run_id, id);

-- Keys this system registered (REGISTERED) or took out of service (RETIRED), per Snowflake user.
create table known_key (
    account        varchar(255) not null,
    snowflake_user varchar(255) not null,
    fingerprint    varchar(100) not null,
    status         varchar(20) not null,
    run_id         uuid,
    updated_at     timestamp with time zone not null,
    primary key (account, snowflake_user, fingerprint)
);

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
create index audit_event_resource on audit_event (resource_id, occurred_at desc);
create index audit_event_time on audit_event (occurred_at desc);
