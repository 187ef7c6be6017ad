-- Machine tokens (issue 13): a facility's gateway (an Orthanc with its DICOMweb plugin,
-- say, behind NAT) stores studies over STOW-RS with a long random bearer token instead
-- of an account. Admins create one (shown once), list and revoke them; only the BLAKE2b
-- digest of the token is kept, as for login sessions. A token is never deleted: revoking
-- sets revoked_at, so the trail's entries keep naming a row that exists.
CREATE TABLE facility_machine_token (
    id           bigserial PRIMARY KEY,
    facility_id  bigint NOT NULL REFERENCES facility (id),
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
-- One live token per name and facility (a name says which gateway holds it).
CREATE UNIQUE INDEX facility_machine_token_name_idx
    ON facility_machine_token (facility_id, name) WHERE revoked_at IS NULL;
