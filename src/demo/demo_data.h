// The demo data set of `telerad demo-data`: a realistic first half-year (2025) of the
// remote-diagnosis centre and the online hospital, built so that the ministry's report
// for 2025H1 shows the seed's lines at once (seeds/002: 2,098 image diagnoses by
// 2025-05-31, 1,878 CT and 220 X-ray; 4,147 e-examinations; targets 260 and 25).
//
// Pure: no database, no clock. GenerateDemoData() is a function of nothing, so every run
// (and every test) gets the same rows; PgDemoLoader writes them. Times are instants
// (UTC); local days and hours are those of Asia/Ulaanbaatar, built with date/tz.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "date/date.h"

namespace telerad {

using DemoTime = date::sys_seconds;

enum class DemoFacilityKind { kAimagHospital, kSoumCentre, kFamilyCentre };

struct DemoFacility {
  std::string code;
  std::string name;
  std::string aimag;  // "Улаанбаатар" for the capital's districts
  std::string soum;   // the district, in the capital
  std::string ae_title;
  DemoFacilityKind kind = DemoFacilityKind::kAimagHospital;
  // seed-demo's DEMO facility (Говь-Алтай's hospital): reused, never inserted.
  bool from_seed_demo = false;
  // The demo facility user who books its e-examinations ("" when it books none).
  std::string booking_user;
};

struct DemoPatient {
  std::string id;    // register-number-like: two letters, YYMMDD, two digits
  std::string name;  // DICOM PN: Family^Given
  date::year_month_day birth_date;
  std::string sex;  // M or F
};

// A study with its signed report, or (status ready/claimed) one of the current backlog.
struct DemoStudy {
  size_t facility = 0;  // index into DemoData::facilities
  std::string uid;
  std::string status;          // reported, ready or claimed
  int priority = 2;            // 0 stat, 1 urgent, 2 routine
  std::string modality_class;  // CT or XRAY
  std::string modality;        // CT, CR or DX
  DemoPatient patient;
  std::string accession_number;
  std::string description;
  std::string clinical_info;
  int num_instances = 0;
  DemoTime received_at{};
  DemoTime last_instance_at{};
  DemoTime ready_at{};
  DemoTime sla_due_at{};
  int radiologist = -1;  // index into DemoData::radiologists: the reader or the claimer
  std::optional<DemoTime> claim_expires_at;  // claimed only
  // Reported only: the report, drafted at draft_at and signed at reported_at.
  std::optional<DemoTime> reported_at;
  DemoTime draft_at{};
  std::string findings;
  std::string impression;
  std::vector<std::string> icd_codes;
};

struct DemoConsultation {
  size_t facility = 0;
  DemoPatient patient;
  std::string specialty;
  std::string reason;
  std::string status;  // requested, accepted, completed, cancelled, no_show
  DemoTime created_at{};
  DemoTime requested_at{};
  std::optional<DemoTime> accepted_at;
  std::optional<DemoTime> slot_at;
  int specialist = -1;  // index into DemoData::specialists; -1 while none took it
  std::optional<DemoTime> completed_at;
  std::optional<DemoTime> closed_at;  // cancelled or no_show
  std::string conclusion;
  std::vector<std::string> icd_codes;
  std::string cancel_reason;
};

struct DemoTarget {
  std::string indicator;
  std::string period;
  std::optional<double> baseline;
  std::optional<double> target;
};

struct DemoData {
  std::vector<DemoFacility> facilities;
  std::vector<std::string> radiologists;  // usernames; the first comes from seed-demo
  std::vector<std::string> specialists;   // usernames; the first comes from seed-demo
  std::vector<DemoStudy> studies;
  std::vector<DemoConsultation> consultations;
  std::vector<DemoTarget> targets;
};

// The zone every local day and hour of the demo is in.
inline constexpr const char* kDemoTimeZone = "Asia/Ulaanbaatar";

// The whole data set; the same on every call. Throws only if the system has no
// Asia/Ulaanbaatar zone (tzdata missing), which the server's configuration check
// already refuses.
DemoData GenerateDemoData();

// The local (Asia/Ulaanbaatar) calendar day of `t`.
date::year_month_day DemoLocalDay(DemoTime t);

}  // namespace telerad
