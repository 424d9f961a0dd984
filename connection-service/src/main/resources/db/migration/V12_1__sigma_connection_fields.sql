-- Sigma's display option from its create-connection body (useFriendlyNames), kept as given (issue #12).
alter table connection add column use_friendly_names boolean not null default false;
