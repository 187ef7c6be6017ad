-- Lease expiry: the sweep returns claimed studies whose lease ran out to the worklist.
CREATE INDEX study_claim_expiry_idx ON study (claim_expires_at) WHERE status = 'claimed';
