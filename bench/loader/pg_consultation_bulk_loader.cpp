#include "bench/loader/pg_consultation_bulk_loader.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "bench/loader/pg_copy_row.h"
#include "bench/loader/pg_study_bulk_loader.h"
#include "src/demo/generated_study_data.h"
#include "src/pg/pg_pool.h"

namespace telerad {
namespace {

using generated::kFamily;
using generated::kFemale;
using generated::kMale;
using generated::kRegisterLetters;
using generated::Rng;

constexpr int64_t kMinute = 60LL * 1000000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

const std::vector<std::string> kColumns = {
    "facility_id", "patient_id",    "patient_name",  "patient_birth_date",
    "patient_sex", "specialty",     "reason",        "requested_at",
    "status",      "slot_at",       "specialist_id", "conclusion",
    "icd_codes",   "cancel_reason", "created_by",    "created_at",
    "accepted_at", "completed_at",  "closed_at"};
using Row = std::array<CopyText, 19>;

// What family and soum health centres ask specialists about, and what they conclude.
struct Visit {
  const char* specialty;
  const char* reason;
  const char* conclusion;
  const char* icd_codes;
};
constexpr Visit kVisits[] = {
    {"cardiology", "Цээжээр өвдөх, амьсгаадах", "Тогтвортой бах.", "{I20.8}"},
    {"cardiology", "Даралт ихсэх", "Артерийн даралт ихсэх II зэрэг.", "{I10}"},
    {"endocrinology", "Цусан дахь сахар ихсэх", "Чихрийн шижин 2-р хэв шинж.", "{E11.9}"},
    {"neurology", "Толгой өвдөх, толгой эргэх", "Шилжилтийн толгой өвдөлт.", "{G44.2}"},
    {"pediatrics", "Хүүхэд халуурах, ханиалгах", "Цочмог бронхит.", "{J20.9}"},
    {"obstetrics", "Жирэмсний хяналт", "Жирэмсний явц хэвийн.", "{Z34.9}"},
    {"pulmonology", "Удаан ханиалгах", "Архаг бронхит.", "{J42}"},
    {"gastroenterology", "Ходоодоор өвдөх", "Ходоодны үрэвсэл.", "{K29.7}"},
};

struct Context {
  uint32_t seed = 1;
  int64_t now = 0;
  std::vector<int64_t> facility_ids;
  std::vector<int64_t> specialists;
  int64_t booker = 0;
};

Row Generate(const Context& c, int64_t n) {
  Rng r(c.seed * 0x9e3779b97f4a7c15ULL ^ static_cast<uint64_t>(n) * 0xc2b2ae3d27d4eb4fULL);
  const int64_t facility = c.facility_ids[r.Next() % c.facility_ids.size()];
  const double u = r.Unit();
  const std::string status = u < 0.82   ? "completed"
                             : u < 0.89 ? "cancelled"
                             : u < 0.93 ? "no_show"
                             : u < 0.96 ? "accepted"
                                        : "requested";
  const bool open = status == "accepted" || status == "requested";
  // Closed ones far enough back that their slot (at most about six days after booking)
  // and its outcome are in the past.
  const int64_t created =
      c.now - (open ? r.Between(kHour, 14 * kDay) : r.Between(8 * kDay, 730 * kDay));
  const int64_t requested = created + r.Between(2 * kHour, 5 * kDay);
  std::optional<int64_t> slot, accepted, completed, closed;
  CopyText specialist = std::nullopt;
  if (status == "completed" || status == "accepted" || status == "no_show") {
    accepted = created + r.Between(10 * kMinute, 12 * kHour);
    slot = std::max(*accepted + kHour, requested + r.Between(-2, 24) * kHour);
    specialist = std::to_string(c.specialists[r.Next() % c.specialists.size()]);
  }
  if (status == "completed")
    completed = std::min(c.now - 1000000, *slot + r.Between(15, 60) * kMinute);
  if (status == "no_show") closed = std::min(c.now - 1000000, *slot + kHour);
  if (status == "cancelled")
    closed = std::min(c.now - 1000000, created + r.Between(kHour, 3 * kDay));

  const Visit& visit = kVisits[r.Next() % std::size(kVisits)];
  const bool male = r.Unit() < 0.5;
  const int64_t birth = created - r.Between(0, 85 * 365) * kDay;
  const std::string bd = CopyTimestamp(birth).substr(0, 10);
  char digits[16];
  std::snprintf(digits, sizeof digits, "%s%s%s%02d", bd.substr(2, 2).c_str(),
                bd.substr(5, 2).c_str(), bd.substr(8, 2).c_str(), static_cast<int>(r.Next() % 100));
  return Row{std::to_string(facility),
             std::string(r.Pick(kRegisterLetters)) + digits,
             std::string(r.Pick(kFamily)) + " " + (male ? r.Pick(kMale) : r.Pick(kFemale)),
             bd,
             male ? "M" : "F",
             visit.specialty,
             visit.reason,
             CopyTimestamp(requested),
             status,
             CopyOptTimestamp(slot),
             specialist,
             completed ? visit.conclusion : "",
             completed ? visit.icd_codes : "{}",
             status == "cancelled" ? "Өвчтөн өөр цагт хүсэв" : "",
             std::to_string(c.booker),
             CopyTimestamp(created),
             CopyOptTimestamp(accepted),
             CopyOptTimestamp(completed),
             CopyOptTimestamp(closed)};
}

}  // namespace

PgConsultationBulkLoader::PgConsultationBulkLoader(PgPool& pool, FacilityRepository& facilities)
    : pool_(pool), facilities_(facilities) {
  pool_.Prepare("bulk_consultation_count", "SELECT count(*) FROM consultation");
  pool_.Prepare("bulk_specialists",
                "SELECT id FROM app_user WHERE role = 'specialist' AND active ORDER BY id");
  pool_.Prepare("bulk_booker",
                "SELECT id FROM app_user WHERE role = 'facility' AND active ORDER BY id LIMIT 1");
}

Result<ConsultationLoadResult> PgConsultationBulkLoader::Load(
    const ConsultationLoadSpec& spec, const std::function<void(int64_t present)>& progress) {
  if (spec.consultations < 0 || spec.batch_size < 1)
    return Status::InvalidArgument("consultations must be >= 0 and batch_size >= 1");
  Context c;
  c.seed = spec.seed;
  c.now = CopyNowMicros();
  auto ids = RegisterGeneratedFacilities(facilities_);
  if (!ids.ok()) return ids.status();
  c.facility_ids = std::move(*ids);
  ConsultationLoadResult result;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    result.present = txn.exec_prepared1("bulk_consultation_count")[0].as<int64_t>();
    c.specialists.clear();
    for (const auto& row : txn.exec_prepared("bulk_specialists"))
      c.specialists.push_back(row[0].as<int64_t>());
    pqxx::result booker = txn.exec_prepared("bulk_booker");
    c.booker = booker.empty() ? 0 : booker[0][0].as<int64_t>();
  });
  if (!s.ok()) return s;
  if (result.present < spec.consultations && (c.specialists.empty() || c.booker == 0))
    return Status::FailedPrecondition(
        "the database has no active specialist or facility user; run `telerad seed-demo` first");

  std::vector<Row> rows;
  for (int64_t first = result.present; first < spec.consultations; first += spec.batch_size) {
    const int64_t count = std::min<int64_t>(spec.batch_size, spec.consultations - first);
    s = pool_.Run([&](pqxx::work& txn) {
      // A lost batch is simply loaded again on the next run: no need to wait for the WAL.
      txn.exec("SET LOCAL synchronous_commit = off");
      rows.clear();
      for (int64_t n = first; n < first + count; ++n) rows.push_back(Generate(c, n));
      pqxx::stream_to out(txn, "consultation", kColumns);
      for (const Row& row : rows) out << row;
      out.complete();
    });
    if (!s.ok()) return s;
    result.loaded += count;
    if (progress) progress(result.present + result.loaded);
  }
  if (result.loaded > 0) {
    s = pool_.RunRaw([](pqxx::connection& conn) {
      pqxx::nontransaction txn(conn);
      txn.exec("VACUUM (ANALYZE) consultation, kpi_consultation_daily, kpi_facility_activity");
    });
    if (!s.ok()) return s;
  }
  return result;
}

}  // namespace telerad
