-- Where each frame of an instance lies in its stored file, so that WADO-RS frames are a
-- read of exactly those bytes (src/base/pixel_layout.h). Offsets count bytes of the Part
-- 10 file as stored: byte for byte as received, preamble and File Meta Information
-- included. Written in the instance's index transaction; no row: the instance has no
-- pixel data, its frames cannot be located (a deflated data set, fragments without an
-- offset table that match no frame), or it was indexed before this file and has not been
-- described yet.
CREATE TABLE instance_pixel_layout (
    instance_id          bigint PRIMARY KEY REFERENCES instance (id),
    encapsulated         boolean NOT NULL,
    number_of_frames     integer NOT NULL CHECK (number_of_frames >= 1),
    -- Native pixel data: frame k (1-based) is frame_bytes bytes at
    -- value_offset + (k - 1) * frame_bytes. Both 0 when encapsulated.
    value_offset         bigint NOT NULL DEFAULT 0,
    frame_bytes          bigint NOT NULL DEFAULT 0,
    -- Encapsulated: every fragment's value (the Basic Offset Table excluded), in order,
    -- and for each frame the index (from 0) of its first fragment; a frame runs up to the
    -- next frame's first fragment, the last one to the last fragment. Empty when native.
    fragment_offsets     bigint[] NOT NULL DEFAULT '{}',
    fragment_lengths     bigint[] NOT NULL DEFAULT '{}',
    frame_first_fragment integer[] NOT NULL DEFAULT '{}',
    CHECK (cardinality(fragment_offsets) = cardinality(fragment_lengths)),
    CHECK (NOT encapsulated OR cardinality(frame_first_fragment) = number_of_frames)
);
