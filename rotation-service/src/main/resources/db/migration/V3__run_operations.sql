-- Issue #12 item 5: a NEEDS_ATTENTION run can be retried (resumed in the step it stopped in) or
-- closed (terminal state CLOSED, with the operator's reason); a policy whose connection was deleted
-- is disabled with a visible reason instead of being scheduled for ever.
alter table rotation_run add column stopped_in varchar(20);
alter table rotation_run add column closed_reason varchar(500);
alter table rotation_policy add column disabled_reason varchar(200);

-- Runs that stopped before this column existed: the last step-log row names the step they stopped in.
update rotation_run r set stopped_in = (select s.step from rotation_step s where s.run_id = r.id
    and s.step <> 'NEEDS_ATTENTION' order by s.id desc limit 1) where r.state = 'NEEDS_ATTENTION';

-- CLOSED is terminal: it must neither block a new run of the user nor be claimed.
drop index rotation_run_one_active;
create unique index rotation_run_one_active on rotation_run (lower(account), lower(snowflake_user))
    where state not in ('DONE', 'ROLLED_BACK', 'NEEDS_ATTENTION', 'CLOSED');
drop index rotation_run_due;
create index rotation_run_due on rotation_run (next_attempt_at)
    where state not in ('DONE', 'ROLLED_BACK', 'NEEDS_ATTENTION', 'CLOSED');
create index rotation_run_created on rotation_run (created_at desc);
