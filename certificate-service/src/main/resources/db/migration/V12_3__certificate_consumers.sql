-- Who uses a certificate (issue #12 item 4): connection-service registers each API connector bound to a
-- certificate, with the caller's token, so deleting a certificate still in use is refused (409
-- certificate-in-use naming the consumers). The foreign key (no cascade) backs that check: a certificate
-- row with consumers cannot be deleted even by a racing request.
create table certificate_consumer (
    id             uuid primary key,
    certificate_id uuid          not null references certificate (id),
    consumer_id    varchar(100)  not null,
    name           varchar(200)  not null,
    service        varchar(100)  not null,
    registered_at  timestamp with time zone not null,
    registered_by  varchar(200)  not null,
    constraint certificate_consumer_unique unique (certificate_id, consumer_id)
);
