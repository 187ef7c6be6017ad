-- DICOMweb (PS3.18): what QIDO-RS answers from and what WADO-RS metadata serves, kept
-- at ingest so that no search and no metadata request opens a stored file.

-- Study attributes QIDO-RS returns by default (PS3.18 table 10.6.3-3) that the
-- worklist did not need. Kept as the facility sent them, in UTF-8.
ALTER TABLE study
    ADD COLUMN study_time          text NOT NULL DEFAULT '',  -- (0008,0030) TM, e.g. 093015.12
    ADD COLUMN referring_physician text NOT NULL DEFAULT '',  -- (0008,0090) PN, '^'-joined
    ADD COLUMN dicom_study_id      text NOT NULL DEFAULT '';  -- (0020,0010) SH

-- Instance attributes QIDO-RS returns by default at the instance level (table 10.6.3-5)
-- and a viewer needs to lay out frames. NULL: the instance has no such attribute
-- (e.g. a structured report has no rows).
ALTER TABLE instance
    ADD COLUMN rows             integer,  -- (0028,0010)
    ADD COLUMN columns          integer,  -- (0028,0011)
    ADD COLUMN bits_allocated   integer,  -- (0028,0100)
    ADD COLUMN number_of_frames integer;  -- (0028,0008); 1 for a single-frame image

-- Each instance's data set as DICOM JSON (PS3.18 annex F), UTF-8, bulk data (pixel
-- data and other large binary values) as BulkDataURI: WADO-RS metadata of a series is
-- these rows joined, never a parse of its files. Written in the instance's index
-- transaction; an instance indexed before this file has none until it is rebuilt
-- from its file on first read.
CREATE TABLE instance_metadata (
    instance_id bigint PRIMARY KEY REFERENCES instance (id),
    dicom_json  text NOT NULL
);
