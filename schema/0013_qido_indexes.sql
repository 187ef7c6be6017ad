-- QIDO-RS (PS3.18 10.6) searches studies by patient name with wildcards, case-insensitive
-- (Cyrillic included: lower() folds it under the cluster's C.UTF-8 ctype), by patient
-- ID, accession number and date. Without these indexes each search reads every study.

-- Infix and suffix wildcards (`*дорж*`) and fuzzy matching (a name component's start):
-- trigrams. pg_trgm is a trusted extension since PostgreSQL 13, so the database owner
-- that runs the migrations may create it without being a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX study_patient_name_trgm_idx ON study USING gin (lower(patient_name) gin_trgm_ops);

-- Prefix wildcards (`батбаяр*`) and exact names: LIKE can use a btree only with the
-- pattern operator class under a collation other than C; its byte order also serves the
-- answer's order (ORDER BY … USING ~<~), so a prefix search reads only the rows it answers.
CREATE INDEX study_patient_name_prefix_idx ON study (lower(patient_name) text_pattern_ops, id);

CREATE INDEX study_patient_id_idx ON study (patient_id);
CREATE INDEX study_accession_number_idx ON study (accession_number);
-- The default order of a study search (newest study first) and StudyDate ranges.
CREATE INDEX study_date_order_idx ON study (study_date DESC NULLS LAST, id DESC);
