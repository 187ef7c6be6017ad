// The DICOM form of a signed report: a Basic Text SR (PS3.3 A.35.1) that the facility's
// PACS files under the study it reports on. Pure construction: no network, no I/O, safe
// to call from any thread (each call builds its own DCMTK objects).
#pragma once

#include <memory>
#include <string>

#include "src/base/status.h"
#include "src/reading/report_sender.h"

class DcmFileFormat;

namespace telerad::dicom {

// "I10" for a WHO ICD-10 code (a letter and two digits, optionally a dot and more, such
// as "J18" or "J18.9"), "I11" for anything else (ICD-11 codes such as "CA40.0" or
// "1A00" never start with a letter followed by two digits). The designators are the
// ones PS3.16 Table 8-1 registers for ICD-10 and ICD-11.
const char* IcdCodingSchemeDesignator(const std::string& code);

// Builds the SR for `doc`: the study's patient and study attributes, the SR's fixed
// series and instance UIDs from `doc`, UTF-8 (ISO_IR 192) text, COMPLETE and VERIFIED
// by report.signed_by at report.signed_at. Identical input gives an identical data set,
// so a retry re-sends the same instance. The file meta header is left for whoever saves
// the file. kInternal when the report is not signed or a value cannot be encoded (the
// message names the attribute, never its value).
Result<std::unique_ptr<DcmFileFormat>> BuildReportSr(const ReportDocument& doc);

}  // namespace telerad::dicom
