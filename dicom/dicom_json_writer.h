// Writes a parsed data set as DICOM JSON (PS3.18 annex F), the body of WADO-RS metadata.
//
// Not DCMTK's DcmItem::writeJson: in 3.6.7 its bulk-data hook (DcmJsonFormat::
// asBulkDataURI) is given the tag only, so a nested attribute (pixel data of an icon in a
// sequence) cannot get a URI of its own, and every OB/OW value it does not turn into a
// URI is loaded from the file to be base64-encoded, pixel data included
// (dcmtk@DCMTK-3.6.7:dcmdata/libsrc/dcvrobow.cc, writeJson). Where this writer and
// dcm2json differ, it follows the standard (tests/unit/dicom_json_writer_test.cpp lists
// each difference).
//
// What comes out, per PS3.18 F.2:
// - every element of the data set (the File Meta Information is not part of it), in tag
//   order, as "GGGGEEEE": {"vr": ..., "Value": [...]}; an empty element has no "Value",
//   an empty value inside a multi-valued one is null;
// - strings as JSON strings (leading and trailing spaces removed, as F.2.5 allows); LT,
//   ST, UT and UR as one value (a backslash in them is text, not a separator);
// - PN as {"Alphabetic", "Ideographic", "Phonetic"}, each group present when not empty;
// - IS and DS as JSON numbers ("+01.50" → 1.50); a value that is no number at all stays a
//   string, rather than being lost;
// - AT as "GGGGEEEE"; FL, FD, SL, SS, SV, UL, US, UV as numbers (NaN and the infinities
//   as the strings "NaN", "Infinity", "-Infinity");
// - SQ as an array of item objects;
// - bulk data as "BulkDataURI": pixel data (7FE0,0008/0009/0010) at any depth, any OB,
//   OD, OF, OL, OV, OW or UN value over `max_inline_binary` bytes, and any other value
//   over `max_inline_value` bytes (F.2.6 allows a BulkDataURI for those VRs); such values
//   are never loaded from the file. Smaller binary values are "InlineBinary" (base64).
//
// Bulk data URI: `bulk_data_base` + a tag path. The path of a top-level attribute is its
// tag, "7FE00010"; inside a sequence it is the sequence's path, the item's index from 0
// and the tag, joined by '.': "00880200.0.7FE00010" is the pixel data of the first icon
// image (bulk_data_path.h builds the base and parses the path back).
//
// The writer's parts: the walk and the bulk data rule (dicom_json_writer.cpp), the value
// formatters (dicom_json_values.h), the text formatters (dicom_json_text.h) and the bulk
// data paths (bulk_data_path.h).
//
// Bounded output: the JSON of the whole data set is at most `max_bytes`. When the
// attributes do not fit, the largest top-level attributes are left out (their tags are
// returned) until the rest fits: the instance is kept and the viewer still gets every
// attribute it needs to display it, which are all small.
//
// REQUIRES: the data set's text is UTF-8 already (DcmItem::convertToUTF8); bytes that are
// not valid UTF-8 are replaced by U+FFFD. Not thread-safe for one data set (DCMTK loads
// values lazily); distinct data sets may be written concurrently.
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dicom/bulk_data_path.h"

namespace telerad::dicom {

struct DicomJsonOptions {
  std::string bulk_data_base;  // e.g. "/dicomweb/studies/S/series/SE/instances/I/bulk/"
  size_t max_bytes = size_t{4} << 20;
  uint32_t max_inline_binary = 1024;
  uint32_t max_inline_value = 64 * 1024;
};

struct DicomJson {
  std::string json;                 // one JSON object
  std::vector<DcmTagKey> left_out;  // top-level attributes that did not fit in max_bytes
};

DicomJson WriteDicomJson(DcmItem& data_set, const DicomJsonOptions& options);

// Whether WriteDicomJson with `options` writes `element` as a BulkDataURI (the rules
// above), so that a bulk data request serves exactly those values.
bool IsBulkData(DcmElement& element, const DicomJsonOptions& options);

}  // namespace telerad::dicom
