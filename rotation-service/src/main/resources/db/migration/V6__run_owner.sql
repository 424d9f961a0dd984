-- Whose run it is, for the per-owner share of the workers (rotation-service.worker.concurrency-per-owner):
-- the subject that requested it (POST …/rotations), for a scheduled run whoever last saved its policy, for
-- a retried run the operator who retried it. A token subject, which a caller cannot multiply the way it can
-- multiply connections, Snowflake accounts or users.
alter table rotation_run add column owner varchar(200);
-- Only runs that can still be claimed need one; finished runs keep null (runs are never deleted, so the
-- table may be large).
update rotation_run r set owner = case
        when r.trigger_kind = 'schedule' then coalesce(
            (select coalesce(p.updated_by, p.created_by) from rotation_policy p where p.id = r.policy_id), r.created_by)
        else r.created_by end
    where r.state not in ('DONE', 'ROLLED_BACK', 'NEEDS_ATTENTION', 'CLOSED');
