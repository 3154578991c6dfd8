-- Ends an attempt that failed: back to ready with a later run time while
-- attempts remain and the error is transient, otherwise failed for good.
UPDATE jobs
SET state = CASE WHEN :retry AND attempts < max_attempts THEN 'ready' ELSE 'failed' END,
    run_after = :run_after, lease_owner = NULL, lease_until = NULL,
    last_error = :error, updated_at = :now
WHERE id = :id AND state = 'leased' AND lease_owner = :owner
RETURNING state
