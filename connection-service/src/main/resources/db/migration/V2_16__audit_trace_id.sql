-- The trace an audit event was written in (W3C trace id, 32 hex digits; null when tracing is off):
-- operators go from an event to the request or rotation step in the tracing tool (issue #16).
alter table audit_event add column trace_id varchar(32);
