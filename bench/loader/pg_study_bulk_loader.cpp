#include "bench/loader/pg_study_bulk_loader.h"

#include <time.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "bench/loader/pg_copy_row.h"
#include "src/demo/generated_study_data.h"
#include "src/pg/pg_pool.h"

namespace telerad {
namespace {

using generated::FacilitySeed;
using generated::kClinical;
using generated::kCtDescriptions;
using generated::kFacilities;
using generated::kFamily;
using generated::kFemale;
using generated::kMale;
using generated::kRegisterLetters;
using generated::Rng;

constexpr int64_t kMinute = 60LL * 1000000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kSla[] = {1 * kHour, 4 * kHour, 24 * kHour};  // stat, urgent, routine

std::string Date(int64_t micros) { return CopyTimestamp(micros).substr(0, 10); }

struct SeriesRow {
  std::string modality;
  const char* description;
  int instances;
};

const std::vector<std::string> kStudyColumns = {"id",
                                                "study_uid",
                                                "facility_id",
                                                "status",
                                                "priority",
                                                "modality_class",
                                                "modalities",
                                                "patient_id",
                                                "patient_name",
                                                "patient_birth_date",
                                                "patient_sex",
                                                "accession_number",
                                                "study_date",
                                                "description",
                                                "clinical_info",
                                                "num_series",
                                                "num_instances",
                                                "size_bytes",
                                                "received_at",
                                                "last_instance_at",
                                                "ready_at",
                                                "sla_due_at",
                                                "claimed_by",
                                                "claim_expires_at",
                                                "reported_at",
                                                "critical_pending",
                                                "report_status"};
const std::vector<std::string> kSeriesColumns = {"study_id",      "series_uid",  "modality",
                                                 "series_number", "description", "num_instances",
                                                 "created_at"};
const std::vector<std::string> kReportColumns = {
    "study_id",  "status",     "findings",   "impression", "icd_codes", "critical",
    "author_id", "created_at", "updated_at", "signed_by",  "signed_at"};
using StudyRow = std::array<CopyText, 27>;
using SeriesCopyRow = std::array<CopyText, 7>;
using ReportRow = std::array<CopyText, 11>;

// Signed reports: findings, impression and ICD-10 codes of the usual results.
struct ReportText {
  const char* findings;
  const char* impression;
  const char* icd_codes;
};
constexpr ReportText kReportTexts[] = {
    {"Тархины эдэд голомтот өөрчлөлтгүй. Ховдлын систем хэвийн.", "Эмгэг өөрчлөлтгүй.", "{Z03.9}"},
    {"Баруун уушгины доод дэлбэнд нэвчдэст сүүдэр.", "Баруун талын уушгины хатгалгаа.", "{J18.9}"},
    {"Зүүн шууны ясны дунд хэсэгт шугаман хугарал, шилжилтгүй.", "Шууны ясны хугарал.", "{S52.3}"},
    {"Элэгний баруун дэлбэнд 2 см гиподенс голомт.", "Элэгний уйланхай байж болзошгүй.", "{K76.8}"},
    {"Бөөрний аарцагт 6 мм чулуу.", "Бөөрний чулуу.", "{N20.0}"},
};

struct Context {
  uint32_t seed;
  int64_t now;
  std::vector<int64_t> facility_ids;
  std::vector<std::string> facility_codes;
  std::vector<double> cumulative_weight;
  std::vector<int64_t> radiologists;
};

// Appends study `n` (row id `id`) and its series to the batch's rows.
void GenerateStudy(const Context& c, int64_t n, int64_t id, std::vector<StudyRow>& studies,
                   std::vector<SeriesCopyRow>& series, std::vector<ReportRow>& reports) {
  Rng r(c.seed * 0x100000001b3ULL ^ static_cast<uint64_t>(n) * 0xd6e8feb86659fd93ULL);
  const double where = r.Unit() * c.cumulative_weight.back();
  const size_t f = static_cast<size_t>(
      std::upper_bound(c.cumulative_weight.begin(), c.cumulative_weight.end(), where) -
      c.cumulative_weight.begin());
  const size_t facility = std::min(f, c.facility_ids.size() - 1);

  // Class and modality: CT 85 %, X-ray (CR, DX, MG) 12 %, other (MR, US) 3 %.
  const double k = r.Unit();
  const char* klass = k < 0.85 ? "CT" : k < 0.97 ? "XRAY" : "OTHER";
  std::string modality = "CT";
  if (k >= 0.85 && k < 0.97) modality = r.Unit() < 0.5 ? "CR" : r.Unit() < 0.9 ? "DX" : "MG";
  if (k >= 0.97) modality = r.Unit() < 0.6 ? "MR" : "US";

  const double u = r.Unit();
  std::string status = u < 0.945   ? "reported"
                       : u < 0.985 ? "ready"
                       : u < 0.989 ? "claimed"
                       : u < 0.992 ? "receiving"
                                   : "cancelled";
  if (status == "claimed" && c.radiologists.empty()) status = "ready";
  const double pu = r.Unit();
  const int priority = pu < 0.05 ? 0 : pu < 0.25 ? 1 : 2;

  // Finished studies spread over two years; the open ones are recent.
  int64_t received;
  if (status == "receiving")
    received = c.now - r.Between(0, 10 * kMinute);
  else if (status == "ready")
    received = c.now - r.Between(10 * kMinute, 14 * kDay);
  else if (status == "claimed")
    received = c.now - r.Between(10 * kMinute, 2 * kDay);
  else
    received = c.now - r.Between(kHour, 730 * kDay);
  const int64_t last_instance = std::min(c.now, received + r.Between(5 * 1000000, 10 * kMinute));
  std::optional<int64_t> ready, sla, reported, claim_expires;
  CopyText claimed_by = std::nullopt;
  if (status != "receiving") {
    ready = last_instance + kMinute;  // the stability sweep's default quiet time
    sla = *ready + kSla[priority];
  }
  if (status == "reported")
    reported = std::min(c.now - 1000000,
                        *ready + r.Between(5 * kMinute, kSla[priority] + kSla[priority] / 2));
  if (status == "claimed") {
    claimed_by = std::to_string(c.radiologists[r.Next() % c.radiologists.size()]);
    claim_expires = c.now + r.Between(kMinute, 30 * kMinute);
  }
  const bool critical_pending = status == "reported" && r.Unit() < 0.003;
  // A reported study has its signed report when there is a radiologist to have signed it.
  const bool has_report = reported.has_value() && !c.radiologists.empty();

  // Patient: sex, age 0-90, register number built from the birth date like the real one.
  const bool male = r.Unit() < 0.5;
  const std::string name =
      std::string(r.Pick(kFamily)) + "^" + (male ? r.Pick(kMale) : r.Pick(kFemale));
  const int64_t birth = received - r.Between(0, 90 * 365) * kDay - r.Between(0, kDay - 1);
  const std::string bd = Date(birth);
  char register_digits[16];
  std::snprintf(register_digits, sizeof register_digits, "%s%s%s%02d", bd.substr(2, 2).c_str(),
                bd.substr(5, 2).c_str(), bd.substr(8, 2).c_str(), static_cast<int>(r.Next() % 100));
  const std::string patient_id = std::string(r.Pick(kRegisterLetters)) + register_digits;
  std::string accession = c.facility_codes[facility];
  accession.erase(std::remove(accession.begin(), accession.end(), '-'), accession.end());
  accession += std::to_string(1000000 + n % 9000000);

  std::vector<SeriesRow> rows;
  std::string description;
  double mb_per_instance = 0.5;
  if (modality == "CT") {
    description = r.Pick(kCtDescriptions);
    rows.push_back({"CT", "Topogram", 2});
    rows.push_back({"CT", "Axial 5.0 mm", static_cast<int>(r.Between(40, 120))});
    if (r.Unit() < 0.8)
      rows.push_back({"CT", "Axial 1.0 mm", static_cast<int>(r.Between(200, 600))});
    if (r.Unit() < 0.4) rows.push_back({"CT", "Coronal MPR", static_cast<int>(r.Between(60, 150))});
  } else if (modality == "MR") {
    description = "Тархины соронзон резонанс";
    mb_per_instance = 0.15;
    const int n_series = static_cast<int>(r.Between(4, 7));
    for (int i = 0; i < n_series; ++i)
      rows.push_back({"MR", "Sequence", static_cast<int>(r.Between(20, 60))});
  } else if (modality == "US") {
    description = "Хэвлийн хэт авиан шинжилгээ";
    mb_per_instance = 0.6;
    rows.push_back({"US", "Abdomen", static_cast<int>(r.Between(10, 40))});
  } else if (modality == "MG") {
    description = "Маммографи";
    mb_per_instance = 30;
    rows.push_back({"MG", "CC", 2});
    rows.push_back({"MG", "MLO", 2});
  } else {
    description = r.Unit() < 0.7 ? "Цээжний рентген" : "Яс, үений рентген";
    mb_per_instance = 10;
    rows.push_back({modality, "PA", static_cast<int>(r.Between(1, 2))});
    if (r.Unit() < 0.4) rows.push_back({modality, "Lateral", 1});
  }
  int instances = 0;
  for (const auto& s : rows) instances += s.instances;
  const bool has_clinical = r.Unit() < 0.3;

  const std::string uid = PgStudyBulkLoader::StudyUidPrefix(c.seed) + std::to_string(n);
  studies.push_back(
      StudyRow{std::to_string(id),
               uid,
               std::to_string(c.facility_ids[facility]),
               status,
               std::to_string(priority),
               klass,
               "{" + modality + "}",
               patient_id,
               name,
               bd,
               male ? "M" : "F",
               accession,
               Date(received),
               description,
               has_clinical ? r.Pick(kClinical) : "",
               std::to_string(rows.size()),
               std::to_string(instances),
               std::to_string(static_cast<int64_t>(instances * mb_per_instance * 1048576)),
               CopyTimestamp(received),
               CopyTimestamp(last_instance),
               CopyOptTimestamp(ready),
               CopyOptTimestamp(sla),
               claimed_by,
               CopyOptTimestamp(claim_expires),
               CopyOptTimestamp(reported),
               critical_pending ? "t" : "f",
               has_report ? CopyText("final") : CopyText(std::nullopt)});
  // Series UIDs live under the study's number in their own branch of the root.
  const std::string series_prefix =
      "1.2.826.0.1.3680043.10.1078.0.9." + std::to_string(c.seed) + ".2." + std::to_string(n) + ".";
  for (size_t i = 0; i < rows.size(); ++i)
    series.push_back(SeriesCopyRow{std::to_string(id), series_prefix + std::to_string(i + 1),
                                   rows[i].modality, std::to_string(i + 1), rows[i].description,
                                   std::to_string(rows[i].instances), CopyTimestamp(received)});
  // Drawn last, so that the studies and series above stay what earlier loads made.
  if (has_report) {
    const std::string author = std::to_string(c.radiologists[r.Next() % c.radiologists.size()]);
    const ReportText& text = kReportTexts[r.Next() % std::size(kReportTexts)];
    const int64_t drafted = std::max(*ready, *reported - r.Between(kMinute, 20 * kMinute));
    reports.push_back(ReportRow{std::to_string(id), "final", text.findings, text.impression,
                                text.icd_codes, critical_pending ? "t" : "f", author,
                                CopyTimestamp(drafted), CopyTimestamp(*reported), author,
                                CopyTimestamp(*reported)});
  }
}

}  // namespace

Result<std::vector<int64_t>> RegisterGeneratedFacilities(FacilityRepository& facilities) {
  std::vector<int64_t> ids;
  for (const FacilitySeed& seed : kFacilities) {
    Facility f;
    f.code = seed.code;
    f.name = seed.name;
    f.aimag = seed.aimag;
    f.soum = seed.soum;
    f.ae_title = "TR_" + std::string(seed.code);
    f.ae_title.erase(std::remove(f.ae_title.begin(), f.ae_title.end(), '-'), f.ae_title.end());
    auto stored = facilities.Upsert(f);
    if (!stored.ok()) return stored.status();
    ids.push_back(stored->id);
  }
  return ids;
}

std::string PgStudyBulkLoader::StudyUidPrefix(uint32_t seed) {
  // Branch 0.9 of the project's root: telerad-gen-dicom uses <seed>.<1..5>, never 0.9.
  return "1.2.826.0.1.3680043.10.1078.0.9." + std::to_string(seed) + ".1.";
}

PgStudyBulkLoader::PgStudyBulkLoader(PgPool& pool, FacilityRepository& facilities)
    : pool_(pool), facilities_(facilities) {
  pool_.Prepare("bulk_count_seed",
                "SELECT count(*) FROM study WHERE left(study_uid, length($1)) = $1");
  pool_.Prepare("bulk_radiologists",
                "SELECT id FROM app_user WHERE role = 'radiologist' AND active ORDER BY id");
  // Ids come from the table's own sequence, so rows inserted by anything else never
  // collide with ours, and series rows can name their study in the same COPY batch.
  pool_.Prepare(
      "bulk_study_ids",
      "SELECT nextval(pg_get_serial_sequence('study', 'id')) FROM generate_series(1, $1)");
}

Result<BulkLoadResult> PgStudyBulkLoader::Load(
    const BulkLoadSpec& spec, const std::function<void(int64_t loaded)>& progress) {
  if (spec.studies < 0 || spec.batch_size < 1)
    return Status::InvalidArgument("studies must be >= 0 and batch_size >= 1");
  BulkLoadResult result;
  Context c;
  c.seed = spec.seed;
  c.now = CopyNowMicros();
  auto ids = RegisterGeneratedFacilities(facilities_);
  if (!ids.ok()) return ids.status();
  c.facility_ids = std::move(*ids);
  for (const FacilitySeed& seed : kFacilities) {
    c.facility_codes.push_back(seed.code);
    c.cumulative_weight.push_back((c.cumulative_weight.empty() ? 0 : c.cumulative_weight.back()) +
                                  seed.weight);
  }
  result.facilities = static_cast<int>(c.facility_ids.size());

  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    result.studies_present =
        txn.exec_prepared1("bulk_count_seed", StudyUidPrefix(spec.seed))[0].as<int64_t>();
    c.radiologists.clear();
    for (const auto& row : txn.exec_prepared("bulk_radiologists"))
      c.radiologists.push_back(row[0].as<int64_t>());
  });
  if (!s.ok()) return s;

  for (int64_t first = result.studies_present; first < spec.studies; first += spec.batch_size) {
    const int64_t count = std::min<int64_t>(spec.batch_size, spec.studies - first);
    std::vector<StudyRow> study_rows;
    std::vector<SeriesCopyRow> series_rows;
    std::vector<ReportRow> report_rows;
    s = pool_.Run([&](pqxx::work& txn) {
      // A lost batch is simply loaded again on the next run: no need to wait for the WAL.
      txn.exec("SET LOCAL synchronous_commit = off");
      study_rows.clear();
      series_rows.clear();
      report_rows.clear();
      int64_t i = 0;
      for (const auto& row : txn.exec_prepared("bulk_study_ids", count))
        GenerateStudy(c, first + i++, row[0].as<int64_t>(), study_rows, series_rows, report_rows);
      // One COPY at a time per connection: studies first, since series rows reference them.
      pqxx::stream_to studies(txn, "study", kStudyColumns);
      for (const auto& row : study_rows) studies << row;
      studies.complete();
      pqxx::stream_to series(txn, "series", kSeriesColumns);
      for (const auto& row : series_rows) series << row;
      series.complete();
      pqxx::stream_to reports(txn, "report", kReportColumns);
      for (const auto& row : report_rows) reports << row;
      reports.complete();
    });
    if (!s.ok()) return s;
    result.studies_loaded += count;
    result.series_loaded += static_cast<int64_t>(series_rows.size());
    result.reports_loaded += static_cast<int64_t>(report_rows.size());
    if (progress) progress(result.studies_present + result.studies_loaded);
  }
  // Settle the tables as autovacuum eventually would: planner statistics, and a
  // visibility map so index-only scans need not visit the heap.
  if (result.studies_loaded > 0) {
    s = pool_.RunRaw([](pqxx::connection& conn) {
      pqxx::nontransaction txn(conn);
      txn.exec(
          "VACUUM (ANALYZE) facility, study, series, report, kpi_study_daily, "
          "kpi_facility_activity");
    });
    if (!s.ok()) return s;
  }
  return result;
}

}  // namespace telerad
