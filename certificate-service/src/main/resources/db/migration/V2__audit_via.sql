-- The service that acted for the actor with the actor's forwarded token (Keyline-Via); null for a direct call.
alter table audit_event add column via varchar(100);
