#include "dicom/report_sr.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcvrui.h>
#include <dcmtk/dcmsr/dsrcodvl.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "src/base/icd_code.h"

namespace telerad::dicom {
namespace {

// Concept names, all from PS3.16 context groups for diagnostic imaging reports:
// CID 7000 "Diagnostic Imaging Report Document Title" has (18748-4, LN); CID 7002
// "Diagnostic Imaging Report Element" has (121071, DCM) and (121073, DCM); CID 7001
// "Diagnostic Imaging Report Heading" has (55107-7, LN) and (73568-8, LN).
DSRCodedEntryValue DocumentTitle() { return {"18748-4", "LN", "Diagnostic Imaging Report"}; }
DSRCodedEntryValue FindingConcept() { return {"121071", "DCM", "Finding"}; }
DSRCodedEntryValue ImpressionConcept() { return {"121073", "DCM", "Impression"}; }
DSRCodedEntryValue AddendumConcept() { return {"55107-7", "LN", "Addendum"}; }
DSRCodedEntryValue CriticalResultConcept() {
  return {"73568-8", "LN", "Communication of Critical Results"};
}

// The report text never changes within one revision, so this wording must not depend on
// anything that does (such as whether the facility has acknowledged it yet): a retry
// re-sends the same SOP instance UID and must carry the same content.
constexpr char kCriticalText[] = "CRITICAL FINDING: flagged by the reporting radiologist.";

struct UtcDateTime {
  std::string date;  // DA, YYYYMMDD
  std::string time;  // TM, HHMMSS
  // DT without an offset: TimezoneOffsetFromUTC "+0000" in the header says it is UTC.
  // (DCMTK 3.6.7's VR check rejects an explicit "+0000" suffix, though "+0100" passes.)
  std::string DateTime() const { return date + time; }
  std::string Readable() const {
    return date.substr(0, 4) + "-" + date.substr(4, 2) + "-" + date.substr(6, 2) + " " +
           time.substr(0, 2) + ":" + time.substr(2, 2) + " UTC";
  }
};

UtcDateTime ToUtc(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char date[16];
  char time[16];
  std::strftime(date, sizeof(date), "%Y%m%d", &tm);
  std::strftime(time, sizeof(time), "%H%M%S", &tm);
  return {date, time};
}

// "YYYY-MM-DD" to DA "YYYYMMDD". Anything else becomes "": the attributes it feeds are
// type 2, so empty is valid, and a malformed demographic must not hold back a report.
std::string ToDicomDate(const std::string& iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return "";
  std::string da = iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
  bool digits = std::all_of(da.begin(), da.end(), [](unsigned char c) { return std::isdigit(c); });
  return digits ? da : "";
}

// PatientSex is an enumerated CS (M, F, O); other values would make the data set invalid.
std::string ToDicomSex(const std::string& sex) {
  return sex == "M" || sex == "F" || sex == "O" ? sex : "";
}

// Time the content was last changed: signing, or the latest addendum.
TimePoint ContentTime(const Report& report) {
  TimePoint latest = *report.signed_at;
  for (const Addendum& a : report.addenda) latest = std::max(latest, a.created_at);
  return latest;
}

Status Check(const OFCondition& cond, const char* what) {
  if (cond.good()) return Status::Ok();
  return Status::Internal(std::string("report SR: cannot encode ") + what + ": " + cond.text());
}

// Appends items under the root CONTAINER, in order.
class ContentWriter {
 public:
  explicit ContentWriter(DSRDocumentTree& tree) : tree_(tree) {}

  Status Text(const DSRCodedEntryValue& concept, const std::string& text, const char* what) {
    if (text.empty()) return Status::Ok();  // an empty TEXT item is invalid (UT, type 1)
    Status added = Add(DSRTypes::VT_Text, concept, what);
    if (!added.ok()) return added;
    return Check(tree_.getCurrentContentItem().setStringValue(text), what);
  }

  Status Code(const DSRCodedEntryValue& concept, const DSRCodedEntryValue& value,
              const char* what) {
    Status added = Add(DSRTypes::VT_Code, concept, what);
    if (!added.ok()) return added;
    return Check(tree_.getCurrentContentItem().setCodeValue(value), what);
  }

 private:
  Status Add(DSRTypes::E_ValueType type, const DSRCodedEntryValue& concept, const char* what) {
    OFCondition cond = first_ ? tree_.addChildContentItem(DSRTypes::RT_contains, type, concept)
                              : tree_.addContentItem(DSRTypes::RT_contains, type, concept);
    first_ = false;
    return Check(cond, what);
  }

  DSRDocumentTree& tree_;
  bool first_ = true;
};

Status BuildContent(const Report& report, DSRDocumentTree& tree) {
  if (tree.addContentItem(DSRTypes::RT_isRoot, DSRTypes::VT_Container) == 0)
    return Status::Internal("report SR: cannot add the root container");
  Status s = Check(tree.getCurrentContentItem().setConceptName(DocumentTitle()), "document title");
  if (!s.ok()) return s;
  ContentWriter content(tree);
  if (s = content.Text(FindingConcept(), report.findings, "findings"); !s.ok()) return s;
  if (s = content.Text(ImpressionConcept(), report.impression, "impression"); !s.ok()) return s;
  for (const std::string& code : report.icd_codes) {
    // ICD titles are not stored with the report; the code itself is the only meaning we
    // can give without a terminology server, and Code Meaning may not be empty.
    DSRCodedEntryValue value(code, IcdCodingSchemeDesignator(code), code);
    if (s = content.Code(ImpressionConcept(), value, "ICD code"); !s.ok()) return s;
  }
  if (report.critical) {
    if (s = content.Text(CriticalResultConcept(), kCriticalText, "critical flag"); !s.ok())
      return s;
  }
  for (const Addendum& a : report.addenda) {
    std::string text =
        "Addendum by " + a.author + ", " + ToUtc(a.created_at).Readable() + ":\n" + a.text;
    if (s = content.Text(AddendumConcept(), text, "addendum"); !s.ok()) return s;
  }
  return Status::Ok();
}

Status SetHeader(const ReportDocument& doc, DSRDocument& sr) {
  const Study& study = doc.study;
  Status s = Check(sr.setSpecificCharacterSetType(DSRTypes::CS_UTF8), "character set");
  if (!s.ok()) return s;
  // Sets the study UID; the random series and instance UIDs it also makes are replaced by
  // the fixed ones once the data set is written (DSRDocument has no setter for them).
  if (s = Check(sr.createNewSeriesInStudy(study.study_uid), "StudyInstanceUID"); !s.ok()) return s;
  const struct {
    OFCondition cond;
    const char* what;
  } steps[] = {
      {sr.setPatientName(study.patient.name), "PatientName"},
      {sr.setPatientID(study.patient.id), "PatientID"},
      {sr.setPatientBirthDate(ToDicomDate(study.patient.birth_date)), "PatientBirthDate"},
      {sr.setPatientSex(ToDicomSex(study.patient.sex)), "PatientSex"},
      {sr.setAccessionNumber(study.accession_number), "AccessionNumber"},
      {sr.setStudyDate(ToDicomDate(study.study_date)), "StudyDate"},
      {sr.setStudyDescription(study.description), "StudyDescription"},
      {sr.setSeriesDescription("telerad report"), "SeriesDescription"},
      {sr.setManufacturer("telerad"), "Manufacturer"},
      {sr.setInstanceNumber(std::to_string(std::max(doc.report.version, 1))), "InstanceNumber"},
      {sr.setTimezoneOffsetFromUTC("+0000"), "TimezoneOffsetFromUTC"},
  };
  for (const auto& step : steps) {
    if (s = Check(step.cond, step.what); !s.ok()) return s;
  }
  return Status::Ok();
}

Status SignOff(const Report& report, DSRDocument& sr) {
  UtcDateTime content = ToUtc(ContentTime(report));
  Status s = Check(sr.setContentDate(content.date), "ContentDate");
  if (!s.ok()) return s;
  if (s = Check(sr.setContentTime(content.time), "ContentTime"); !s.ok()) return s;
  if (s = Check(sr.completeDocument(), "CompletionFlag"); !s.ok()) return s;
  return Check(sr.verifyDocument(*report.signed_by, "telerad", ToUtc(*report.signed_at).DateTime()),
               "VerifyingObserver");
}

// The values DSRDocument chose for itself that must instead be the same on every retry,
// plus the one attribute it has no setter for.
Status FixInstanceAttributes(const ReportDocument& doc, DcmDataset& ds) {
  for (const std::string* uid : {&doc.sr_series_uid, &doc.sr_instance_uid}) {
    if (DcmUniqueIdentifier::checkStringValue(uid->c_str(), "1").bad())
      return Status::Internal("report SR: the stored SR series or instance UID is invalid");
  }
  UtcDateTime created = ToUtc(ContentTime(doc.report));
  const struct {
    DcmTagKey tag;
    std::string value;
  } values[] = {
      {DCM_SeriesInstanceUID, doc.sr_series_uid},     {DCM_SOPInstanceUID, doc.sr_instance_uid},
      {DCM_InstanceCreationDate, created.date},       {DCM_InstanceCreationTime, created.time},
      {DCM_InstitutionName, doc.study.facility.name},
  };
  for (const auto& v : values) {
    if (Status s = Check(ds.putAndInsertString(v.tag, v.value.c_str()), "instance attribute");
        !s.ok())
      return s;
  }
  return Status::Ok();
}

}  // namespace

const char* IcdCodingSchemeDesignator(const std::string& code) {
  // Codes were validated when the report was saved (src/base/icd_code.h): one rule for both.
  return ClassifyIcdCode(code) == IcdSystem::kIcd10 ? "I10" : "I11";
}

Result<std::unique_ptr<DcmFileFormat>> BuildReportSr(const ReportDocument& doc) {
  if (!doc.report.signed_by || !doc.report.signed_at)
    return Status::Internal("report SR: the report is not signed");
  DSRDocument sr(DSRTypes::DT_BasicTextSR);
  Status s = SetHeader(doc, sr);
  if (!s.ok()) return s;
  if (s = BuildContent(doc.report, sr.getTree()); !s.ok()) return s;
  if (s = SignOff(doc.report, sr); !s.ok()) return s;
  auto file = std::make_unique<DcmFileFormat>();
  if (s = Check(sr.write(*file->getDataset()), "data set"); !s.ok()) return s;
  if (s = FixInstanceAttributes(doc, *file->getDataset()); !s.ok()) return s;
  return file;
}

}  // namespace telerad::dicom
