-- Takes the oldest due job of a kind, or one whose lease ran out, in one statement, so two
-- workers can never take the same job.
UPDATE jobs
SET state = 'leased', lease_owner = :owner, lease_until = :until,
    attempts = attempts + 1, updated_at = :now
WHERE id = (
    SELECT id FROM jobs
    WHERE kind = :kind
      AND ((state = 'ready' AND run_after <= :now) OR (state = 'leased' AND lease_until < :now))
    ORDER BY run_after, id
    LIMIT 1
)
RETURNING id, kind, subject, attempts, max_attempts, last_error
