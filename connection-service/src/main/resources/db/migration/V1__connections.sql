-- Metadata only: private keys and passphrases live in Vault, at vault_path, version vault_version.
create table connection (
    id                      uuid primary key,
    name                    varchar(200)  not null,
    description             varchar(2000),
    type                    varchar(20)   not null,
    timeout_secs            integer       not null,
    -- snowflake
    account                 varchar(255),
    host                    varchar(300),
    snowflake_user          varchar(255),
    role                    varchar(255),
    warehouse               varchar(255),
    database_name           varchar(255),
    schema_name             varchar(255),
    auth_type               varchar(20),
    key_fingerprint         varchar(100),
    key_size_bits           integer,
    has_passphrase          boolean       not null default false,
    key_admin_connection_id uuid references connection (id),
    credential_version      integer       not null default 0,
    vault_path              varchar(500),
    vault_version           integer       not null default 0,
    -- api
    base_url                varchar(2048),
    certificate_id          uuid,
    created_at              timestamp with time zone not null,
    created_by              varchar(200)  not null,
    updated_at              timestamp with time zone not null,
    updated_by              varchar(200)  not null,
    version                 bigint        not null,
    constraint connection_name_unique unique (name),
    constraint connection_type_check check (type in ('snowflake', 'api'))
);

create index connection_key_admin on connection (key_admin_connection_id);

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
