// The value formatters of the DICOM JSON writer (dicom_json_writer.h): an element's VR as
// PS3.18 names it, its tag as "GGGGEEEE", and its value as the "Value" array (strings,
// person names, numbers, AT) or "InlineBinary" (base64).
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcelem.h>

#include <string>

namespace telerad::dicom {

// "GGGGEEEE", upper-case hexadecimal: a JSON key, an AT value, a bulk data path step.
std::string TagHex(const DcmTagKey& tag);

// DCMTK's internal VRs (PS3.5 leaves them to the transfer syntax or to another
// attribute; dcmtk/dcmdata/dcvr.h) as the VR this element holds.
DcmEVR ResolvedVr(DcmElement& element);

// How a VR's values are written: strings split at the backslash, one string (LT, ST, UT,
// UR), person names, IS/DS numbers, binary, or typed numbers and AT (kOther).
enum class ValueKind { kText, kSingleText, kPersonName, kNumberText, kBinary, kOther };

ValueKind KindOf(DcmEVR vr);

// Appends ,"Value":[...] for a non-empty, non-sequence element of VR `vr` (strings
// trimmed, an empty value inside a multi-valued one as null), or ,"InlineBinary":"..."
// for a binary one: its bytes in the host's order (DCMTK keeps values in local byte
// order once loaded), base64-encoded.
void AppendJsonValue(DcmElement& element, DcmEVR vr, std::string& out);

}  // namespace telerad::dicom
