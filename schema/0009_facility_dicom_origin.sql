-- Who is really sending (issue 12): per facility, the networks its AE title may call
-- from (empty: any), whether it must use DICOM TLS, and the SHA-256 fingerprint of the
-- client certificate it presents over TLS (lower-case hex of the DER encoding; NULL:
-- none registered, so the facility cannot send over TLS).
ALTER TABLE facility
    ADD COLUMN allowed_networks  text[]  NOT NULL DEFAULT '{}',
    ADD COLUMN require_tls       boolean NOT NULL DEFAULT false,
    ADD COLUMN tls_client_sha256 text    CHECK (tls_client_sha256 ~ '^[0-9a-f]{64}$');
