-- Metadata only: certificate PEM, private key, passphrase and CA certificate live in Vault.
create table certificate (
    id                 uuid primary key,
    name               varchar(200)  not null,
    description        varchar(2000),
    authorized_domains text[]        not null,
    subject            varchar(2000) not null,
    issuer             varchar(2000) not null,
    serial_number      varchar(100)  not null,
    not_before         timestamp with time zone not null,
    not_after          timestamp with time zone not null,
    sha256_fingerprint varchar(100)  not null,
    key_algorithm      varchar(20)   not null,
    key_size_bits      integer       not null,
    chain_length       integer       not null,
    has_passphrase     boolean       not null,
    ca_subject         varchar(2000),
    vault_path         varchar(500)  not null,
    vault_version      integer       not null,
    created_at         timestamp with time zone not null,
    created_by         varchar(200)  not null,
    updated_at         timestamp with time zone not null,
    updated_by         varchar(200)  not null,
    version            bigint        not null,
    constraint certificate_name_unique unique (name)
);

create index certificate_not_after on certificate (not_after);

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
