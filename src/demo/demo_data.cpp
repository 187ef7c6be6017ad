#include "src/demo/demo_data.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <iterator>

#include "date/tz.h"
#include "src/demo/demo_data_tables.h"
#include "src/demo/generated_study_data.h"

namespace telerad {
namespace {

using generated::Rng;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

// Every draw comes from one stream with this seed, in a fixed order: same data every run.
constexpr uint64_t kSeed = 20250531;
// "2.25." followed by one fixed 128-bit-sized number per data set, then the study's
// serial (PS3.5 §B.2 root; src/uid.h). Series take the next component.
constexpr const char* kStudyUidRoot = "2.25.2718281828459045235360287471352";
constexpr seconds kSla[] = {hours(1), hours(4), hours(24)};  // stat, urgent, routine
constexpr seconds kStableAfter{30};                          // the server's default

const date::time_zone* Zone() {
  static const date::time_zone* zone = date::locate_zone(kDemoTimeZone);
  return zone;
}

// The instant of a local (Asia/Ulaanbaatar) day and time of day.
DemoTime Local(date::year_month_day day, seconds time_of_day) {
  return date::make_zoned(Zone(), date::local_days{day} + time_of_day).get_sys_time();
}

seconds Between(Rng& r, seconds lo, seconds hi) {
  return seconds(r.Between(lo.count(), hi.count()));
}

date::year_month_day Day(int month, unsigned day) {
  return date::year{2025} / date::month{static_cast<unsigned>(month)} / date::day{day};
}

// A random day of `month` (2025) from `first` to the month's end.
date::year_month_day DayOfMonth(Rng& r, int month, unsigned first) {
  const unsigned last = static_cast<unsigned>(
      (date::year{2025} / date::month{static_cast<unsigned>(month)} / date::last).day());
  return Day(month, static_cast<unsigned>(r.Between(first, last)));
}

DemoPatient MakePatient(Rng& r, date::year_month_day on, int min_age, int max_age) {
  DemoPatient p;
  const bool male = r.Unit() < 0.5;
  p.sex = male ? "M" : "F";
  p.name = std::string(r.Pick(generated::kFamily)) + "^" +
           (male ? r.Pick(generated::kMale) : r.Pick(generated::kFemale));
  p.birth_date = date::sys_days{on} - date::days{r.Between(min_age * 365, max_age * 365 + 364)};
  // The civil register number: letters, then YYMMDD with 20 added to the month for those
  // born from 2000 on, then two digits.
  const int y = static_cast<int>(p.birth_date.year());
  const unsigned m = static_cast<unsigned>(p.birth_date.month()) + (y >= 2000 ? 20 : 0);
  char digits[16];
  std::snprintf(digits, sizeof digits, "%02d%02u%02u%02d", y % 100, m,
                static_cast<unsigned>(p.birth_date.day()), static_cast<int>(r.Next() % 100));
  p.id = std::string(r.Pick(generated::kRegisterLetters)) + digits;
  return p;
}

std::vector<DemoFacility> Facilities() {
  std::vector<DemoFacility> out;
  for (const demo::FacilityRow& row : demo::kFacilityRows) {
    DemoFacility f;
    f.code = row.code;
    f.name = row.name;
    f.aimag = row.aimag;
    f.soum = row.soum;
    f.kind = static_cast<DemoFacilityKind>(row.kind);
    std::string compact = f.code;
    compact.erase(std::remove(compact.begin(), compact.end(), '-'), compact.end());
    f.from_seed_demo = f.code == "DEMO";
    f.ae_title = f.from_seed_demo ? "DEMO_SCU" : "TR_" + compact;
    if (row.online_month > 0) {
      f.booking_user = "fac_";
      for (char c : compact) f.booking_user += static_cast<char>(std::tolower(c));
    }
    out.push_back(f);
  }
  return out;
}

// Picks an index from `candidates` with probability proportional to `weight(i)`.
template <typename Weight>
size_t PickWeighted(Rng& r, const std::vector<size_t>& candidates, Weight weight) {
  double total = 0;
  for (size_t i : candidates) total += weight(i);
  double at = r.Unit() * total;
  for (size_t i : candidates) {
    at -= weight(i);
    if (at < 0) return i;
  }
  return candidates.back();
}

const demo::ReportText& PickReport(Rng& r, const std::string& klass) {
  for (;;) {
    const demo::ReportText& t = r.Pick(demo::kReports);
    if (klass == t.modality_class) return t;
  }
}

// A study's own data besides its times: facility, patient, modality, texts.
void FillStudy(Rng& r, const std::vector<size_t>& ct_sources,
               const std::vector<size_t>& xray_sources, const std::string& klass,
               date::year_month_day day, DemoStudy& s) {
  s.modality_class = klass;
  if (klass == "CT") {
    s.facility =
        PickWeighted(r, ct_sources, [](size_t i) { return demo::kFacilityRows[i].ct_weight; });
    s.modality = "CT";
    s.num_instances = static_cast<int>(r.Between(150, 700));
  } else {
    // X-rays come mostly from soum centres, the rest from aimag hospitals.
    s.facility = xray_sources[r.Next() % xray_sources.size()];
    s.modality = r.Unit() < 0.45 ? "CR" : "DX";
    s.num_instances = static_cast<int>(r.Between(1, 3));
  }
  const demo::ReportText& text = PickReport(r, klass);
  s.description = text.description;
  s.clinical_info = text.clinical;
  s.findings = text.findings;
  s.impression = text.impression;
  s.icd_codes = {text.icd};
  s.patient = MakePatient(r, day, 1, 85);
  const double p = r.Unit();
  s.priority = p < 0.08 ? 0 : p < 0.30 ? 1 : 2;
}

// ready → signed: most within the SLA, some breaching it (a night, a busy Monday).
seconds Turnaround(Rng& r, int priority) {
  switch (priority) {
    case 0:
      return r.Unit() < 0.12 ? Between(r, minutes(61), minutes(150))
                             : Between(r, minutes(12), minutes(58));
    case 1:
      return r.Unit() < 0.10 ? Between(r, hours(4) + minutes(5), hours(9))
                             : Between(r, minutes(25), hours(3) + minutes(50));
    default:
      return r.Unit() < 0.07 ? Between(r, hours(24) + minutes(10), hours(40))
                             : Between(r, minutes(40), hours(20));
  }
}

int PickRadiologist(Rng& r) {
  const double u = r.Unit();
  return u < 0.45 ? 0 : u < 0.80 ? 1 : 2;
}

void AddSignedStudies(Rng& r, const std::vector<size_t>& ct_sources,
                      const std::vector<size_t>& xray_sources, std::vector<DemoStudy>& out) {
  for (int month = 1; month <= 5; ++month) {
    for (const std::string klass : {"CT", "XRAY"}) {
      const int n = klass == "CT" ? demo::kCtPerMonth[month - 1] : demo::kXrayPerMonth[month - 1];
      for (int k = 0; k < n; ++k) {
        // The centre's first diagnoses are of 2025-01-02 (seeds/002 counts from there).
        const date::year_month_day day = DayOfMonth(r, month, month == 1 ? 2 : 1);
        DemoStudy s;
        s.status = "reported";
        FillStudy(r, ct_sources, xray_sources, klass, day, s);
        const DemoTime reported = Local(day, Between(r, hours(8), hours(23) - seconds(1)));
        const seconds turnaround = Turnaround(r, s.priority);
        s.reported_at = reported;
        s.ready_at = reported - turnaround;
        s.last_instance_at = s.ready_at - kStableAfter;
        s.received_at = s.last_instance_at - (klass == "CT" ? Between(r, seconds(20), minutes(6))
                                                            : Between(r, seconds(2), seconds(40)));
        s.sla_due_at = s.ready_at + kSla[s.priority];
        s.draft_at = reported - Between(r, minutes(3),
                                        std::min<seconds>(minutes(25), turnaround - minutes(1)));
        s.radiologist = PickRadiologist(r);
        out.push_back(std::move(s));
      }
    }
  }
}

// The current backlog: a dozen studies of the last days of June, not signed yet, so the
// diagnosis totals stay those of the report.
void AddBacklog(Rng& r, const std::vector<size_t>& ct_sources,
                const std::vector<size_t>& xray_sources, std::vector<DemoStudy>& out) {
  for (int k = 0; k < 12; ++k) {
    const date::year_month_day day = Day(6, static_cast<unsigned>(r.Between(27, 30)));
    DemoStudy s;
    FillStudy(r, ct_sources, xray_sources, k % 6 == 5 ? "XRAY" : "CT", day, s);
    s.findings.clear();
    s.impression.clear();
    s.icd_codes.clear();
    s.received_at = Local(day, Between(r, hours(8), hours(22)));
    s.last_instance_at = s.received_at + Between(r, seconds(20), minutes(6));
    s.ready_at = s.last_instance_at + kStableAfter;
    s.sla_due_at = s.ready_at + kSla[s.priority];
    if (k % 3 == 2) {
      s.status = "claimed";
      s.radiologist = PickRadiologist(r);
      s.claim_expires_at = s.ready_at + Between(r, minutes(10), minutes(60)) + minutes(30);
    } else {
      s.status = "ready";
    }
    out.push_back(std::move(s));
  }
}

DemoTime OnlineStart(const demo::FacilityRow& row) {
  return Local(Day(row.online_month, static_cast<unsigned>(row.online_day)), hours(8));
}

// One e-examination of `status` whose deciding moment (completion, closing) falls on `day`.
DemoConsultation MakeConsultation(Rng& r, const std::string& status, date::year_month_day day,
                                  size_t facility) {
  DemoConsultation c;
  c.facility = facility;
  c.status = status;
  const demo::ExamText& text = r.Pick(demo::kExams);
  c.specialty = text.specialty;
  c.reason = text.reason;
  const bool child = c.specialty == std::string("paediatrics");
  c.patient = MakePatient(r, day, child ? 0 : 18, child ? 14 : 82);
  const DemoTime start = OnlineStart(demo::kFacilityRows[facility]);
  if (status == "cancelled") {
    c.closed_at = Local(day, Between(r, hours(9), hours(18)));
    c.created_at = std::max(start, *c.closed_at - Between(r, hours(1), hours(72)));
    c.requested_at = *c.closed_at + Between(r, hours(20), hours(72));
    c.cancel_reason = r.Pick(demo::kCancelReasons);
    if (r.Unit() < 0.5) {  // some were accepted before being cancelled
      c.slot_at = c.requested_at;
      c.specialist = text.specialist;
      c.accepted_at = c.created_at + (*c.closed_at - c.created_at) / 2;
    }
    return c;
  }
  // Slots on the half hour, 09:00 to 17:00.
  const DemoTime slot = Local(day, hours(9) + minutes(30) * r.Between(0, 16));
  c.slot_at = slot;
  c.specialist = text.specialist;
  c.created_at = std::max(start, slot - Between(r, hours(4), hours(120)));
  c.requested_at = std::max(c.created_at + hours(1), slot - minutes(30) * r.Between(0, 4));
  c.accepted_at =
      c.created_at +
      Between(r, minutes(10), std::min<seconds>(hours(6), slot - c.created_at - minutes(5)));
  if (status == "completed") {
    c.completed_at = slot + Between(r, minutes(15), minutes(40));
    c.conclusion = text.conclusion;
    c.icd_codes = {text.icd};
  } else {  // no_show
    c.closed_at = slot + minutes(30);
  }
  return c;
}

void AddConsultations(Rng& r, std::vector<DemoConsultation>& out) {
  std::vector<size_t> online;
  for (size_t i = 0; i < std::size(demo::kFacilityRows); ++i)
    if (demo::kFacilityRows[i].online_month > 0) online.push_back(i);
  // Facilities take part from their start day; Хан-Уул's, the pilot, book the most.
  auto facility_on = [&](date::year_month_day day) {
    std::vector<size_t> open;
    for (size_t i : online)
      if (OnlineStart(demo::kFacilityRows[i]) <= Local(day, hours(8))) open.push_back(i);
    return PickWeighted(r, open, [](size_t i) {
      const demo::FacilityRow& f = demo::kFacilityRows[i];
      return std::string(f.soum) == "Хан-Уул" ? 1.6 : f.kind == demo::Kind::kSoumCentre ? 0.6 : 1.0;
    });
  };
  for (int month = 1; month <= 6; ++month) {
    // The online hospital started on 2025-01-08 (seeds/002).
    const unsigned first = month == 1 ? 8 : 1;
    const int completed = demo::kExamsPerMonth[month - 1];
    const int cancelled = completed * 5 / 100;
    const int no_show = completed * 35 / 1000;
    for (int k = 0; k < completed + cancelled + no_show; ++k) {
      const std::string status = k < completed               ? "completed"
                                 : k < completed + cancelled ? "cancelled"
                                                             : "no_show";
      const date::year_month_day day = DayOfMonth(r, month, first);
      out.push_back(MakeConsultation(r, status, day, facility_on(day)));
    }
  }
  // Still open at the end of June: booked, some already given a slot in early July.
  for (int k = 0; k < 10; ++k) {
    const date::year_month_day day = Day(6, static_cast<unsigned>(r.Between(26, 30)));
    DemoConsultation c = MakeConsultation(r, "completed", day, facility_on(day));
    c.created_at = Local(day, Between(r, hours(9), hours(17)));
    c.requested_at = Local(Day(7, static_cast<unsigned>(r.Between(1, 4))),
                           hours(9) + minutes(30) * r.Between(0, 16));
    c.completed_at.reset();
    c.conclusion.clear();
    c.icd_codes.clear();
    if (k % 2 == 0) {
      c.status = "accepted";
      c.slot_at = c.requested_at;
      c.accepted_at = c.created_at + Between(r, minutes(10), hours(3));
    } else {
      c.status = "requested";
      c.slot_at.reset();
      c.accepted_at.reset();
      c.specialist = -1;
    }
    out.push_back(std::move(c));
  }
}

}  // namespace

date::year_month_day DemoLocalDay(DemoTime t) {
  return date::year_month_day{
      date::floor<date::days>(date::make_zoned(Zone(), t).get_local_time())};
}

DemoData GenerateDemoData() {
  DemoData d;
  d.facilities = Facilities();
  d.radiologists = {"rad1", "rad2", "rad3"};
  d.specialists = {"spec1", "spec2", "spec3"};
  std::vector<size_t> ct_sources, xray_sources;
  for (size_t i = 0; i < d.facilities.size(); ++i) {
    const demo::FacilityRow& row = demo::kFacilityRows[i];
    if (row.ct_weight > 0) ct_sources.push_back(i);
    // Soum centres count twice: they send most of the X-rays.
    if (row.sends_xray) xray_sources.push_back(i);
    if (row.sends_xray && row.kind == demo::Kind::kSoumCentre) {
      xray_sources.push_back(i);
      xray_sources.push_back(i);
    }
  }
  Rng r(kSeed);
  AddSignedStudies(r, ct_sources, xray_sources, d.studies);
  AddBacklog(r, ct_sources, xray_sources, d.studies);
  // Rows in the order they arrived, so ids, UIDs and accession numbers follow time.
  std::stable_sort(d.studies.begin(), d.studies.end(), [](const DemoStudy& a, const DemoStudy& b) {
    return a.received_at < b.received_at;
  });
  for (size_t i = 0; i < d.studies.size(); ++i) {
    DemoStudy& s = d.studies[i];
    char serial[24];
    std::snprintf(serial, sizeof serial, "%06zu", i + 1);
    s.uid = std::string(kStudyUidRoot) + serial;
    std::string code = d.facilities[s.facility].code;
    code.erase(std::remove(code.begin(), code.end(), '-'), code.end());
    s.accession_number = code + serial;
  }
  AddConsultations(r, d.consultations);
  std::stable_sort(d.consultations.begin(), d.consultations.end(),
                   [](const DemoConsultation& a, const DemoConsultation& b) {
                     return a.created_at < b.created_at;
                   });
  // The ministry's baselines and targets for 2025 (seeds/002, lines 3 and 7).
  d.targets = {{"telemedicine_facilities", "2025", 250, 260},
               {"online_hospital_facilities", "2025", std::nullopt, 25}};
  return d;
}

}  // namespace telerad
