// ConsultationService rules against an in-memory repository: who books, sees and moves
// which e-examination, and what input is refused.
#include "src/online/consultation_service.h"

#include <gtest/gtest.h>

#include "tests/test_audit.h"
#include "tests/unit/fakes.h"

namespace telerad {
namespace {

Principal Who(Role role, int64_t user_id, std::optional<int64_t> facility_id = std::nullopt) {
  Principal p;
  p.user_id = user_id;
  p.username = "user" + std::to_string(user_id);
  p.role = role;
  p.facility_id = facility_id;
  return p;
}

const Principal kFac1 = Who(Role::kFacility, 10, 1);
const Principal kFac2 = Who(Role::kFacility, 11, 2);
const Principal kSpec1 = Who(Role::kSpecialist, 20);
const Principal kSpec2 = Who(Role::kSpecialist, 21);
const Principal kAdmin = Who(Role::kAdmin, 1);
const Principal kRad = Who(Role::kRadiologist, 30);
const Principal kMinistry = Who(Role::kMinistry, 40);

ConsultationBooking Booking() {
  ConsultationBooking b;
  b.patient = {"P-1", "Болд Бат", "1980-02-29", "m"};
  b.specialty = " Cardiology ";
  b.reason = "Цээжээр өвдөх";
  b.requested_at = std::chrono::system_clock::now();
  return b;
}

class ConsultationServiceTest : public ::testing::Test {
 protected:
  // A booking of facility 1, its id as the URL carries it.
  std::string Booked() {
    auto c = service_.Book(kFac1, Booking(), Audit());
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return std::to_string(c->id);
  }
  std::string Accepted(const Principal& by = kSpec1) {
    const std::string id = Booked();
    EXPECT_TRUE(
        service_.Accept(by, id, std::chrono::system_clock::now(), std::nullopt, Audit()).ok());
    return id;
  }
  FakeConsultationRepository repo_;
  ConsultationService service_{repo_};
};

TEST_F(ConsultationServiceTest, FacilityBooksForItsOwnFacilityWithNormalisedFields) {
  auto c = service_.Book(kFac1, Booking(), Audit());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->facility.id, 1);
  EXPECT_EQ(c->status, ConsultationStatus::kRequested);
  EXPECT_EQ(c->specialty, "cardiology");
  EXPECT_EQ(c->patient.sex, "M");
  EXPECT_EQ(c->version, 1);
}

TEST_F(ConsultationServiceTest, OnlyFacilityUsersBook) {
  for (const Principal& who : {kAdmin, kSpec1, kRad, kMinistry})
    EXPECT_EQ(service_.Book(who, Booking(), Audit()).status().code(),
              StatusCode::kPermissionDenied);
  EXPECT_TRUE(repo_.rows.empty());
}

TEST_F(ConsultationServiceTest, BookingValidationNamesTheFieldAndNeverThePatient) {
  struct Case {
    void (*spoil)(ConsultationBooking&);
    const char* field;
  };
  const Case cases[] = {
      {[](ConsultationBooking& b) { b.patient.id = "  "; }, "patient.id"},
      {[](ConsultationBooking& b) { b.patient.id = std::string(65, '7'); }, "patient.id"},
      {[](ConsultationBooking& b) { b.patient.name = std::string(257, 'x'); }, "patient.name"},
      {[](ConsultationBooking& b) { b.patient.name = "Bold\x01"; }, "patient.name"},
      {[](ConsultationBooking& b) { b.patient.name = "\xff\xfe"; }, "patient.name"},
      {[](ConsultationBooking& b) { b.patient.birth_date = "1981-02-29"; }, "patient.birth_date"},
      {[](ConsultationBooking& b) { b.patient.birth_date = "29.02.1980"; }, "patient.birth_date"},
      {[](ConsultationBooking& b) { b.patient.sex = "X"; }, "patient.sex"},
      {[](ConsultationBooking& b) { b.specialty = ""; }, "specialty"},
      {[](ConsultationBooking& b) { b.specialty = std::string(65, 'c'); }, "specialty"},
      {[](ConsultationBooking& b) { b.reason = ""; }, "reason"},
      {[](ConsultationBooking& b) { b.reason = std::string(4097, 'r'); }, "reason"},
      {[](ConsultationBooking& b) { b.requested_at.reset(); }, "requested_at"},
  };
  for (const Case& c : cases) {
    ConsultationBooking b = Booking();
    c.spoil(b);
    Status s = service_.Book(kFac1, b, Audit()).status();
    EXPECT_EQ(s.code(), StatusCode::kUnprocessable) << c.field;
    EXPECT_NE(s.message().find(std::string("'") + c.field + "'"), std::string::npos) << s.message();
    EXPECT_EQ(s.message().find("Болд"), std::string::npos);
  }
  // 256 Cyrillic characters are 512 bytes and still a valid name.
  ConsultationBooking b = Booking();
  b.patient.name.clear();
  for (int i = 0; i < 256; ++i) b.patient.name += "Ө";
  EXPECT_TRUE(service_.Book(kFac1, b, Audit()).ok());
  EXPECT_TRUE(repo_.rows.size() == 1);
}

TEST_F(ConsultationServiceTest, AnotherFacilitysBookingIsNotFound) {
  const std::string id = Booked();
  EXPECT_TRUE(service_.Get(kFac1, id).ok());
  EXPECT_EQ(service_.Get(kFac2, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_.Cancel(kFac2, id, "", std::nullopt, Audit()).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(repo_.rows.begin()->second.status, ConsultationStatus::kRequested);
}

TEST_F(ConsultationServiceTest, MinistryAndRadiologistsSeeNothing) {
  const std::string id = Booked();
  for (const Principal& who : {kMinistry, kRad}) {
    EXPECT_EQ(service_.Get(who, id).status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(service_.List(who, {}).status().code(), StatusCode::kPermissionDenied);
    EXPECT_EQ(service_.Cancel(who, id, "x", std::nullopt, Audit()).status().code(),
              StatusCode::kPermissionDenied);
  }
}

TEST_F(ConsultationServiceTest, ListScopesComeFromTheCallerNeverTheQuery) {
  ConsultationQuery q;
  q.facility_id = 2;
  q.specialist_id = 99;
  ASSERT_TRUE(service_.List(kFac1, q).ok());
  EXPECT_EQ(repo_.last_query.facility_id, 1);
  EXPECT_FALSE(repo_.last_query.specialist_id);
  ASSERT_TRUE(service_.List(kSpec1, q).ok());
  EXPECT_EQ(repo_.last_query.specialist_id, kSpec1.user_id);
  EXPECT_FALSE(repo_.last_query.facility_id);
  ASSERT_TRUE(service_.List(kAdmin, q).ok());
  EXPECT_FALSE(repo_.last_query.facility_id || repo_.last_query.specialist_id);
  q.limit = 0;
  EXPECT_EQ(service_.List(kAdmin, q).status().code(), StatusCode::kInvalidArgument);
  q.limit = 201;
  EXPECT_EQ(service_.List(kAdmin, q).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ConsultationServiceTest, SpecialistAcceptsCompletesWithNormalisedCodes) {
  const std::string id = Accepted();
  auto done = service_.Complete(kSpec1, id, " Зүрхний шигдээс үгүй ", {" i10 ", "I10", "BA00"},
                                std::nullopt, Audit());
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->status, ConsultationStatus::kCompleted);
  EXPECT_EQ(done->conclusion, "Зүрхний шигдээс үгүй");
  EXPECT_EQ(done->icd_codes, (std::vector<std::string>{"I10", "BA00"}));
  EXPECT_EQ(done->version, 3);
}

TEST_F(ConsultationServiceTest, AcceptNeedsASlotAndARequestedOne) {
  const std::string id = Booked();
  EXPECT_EQ(service_.Accept(kSpec1, id, std::nullopt, std::nullopt, Audit()).status().code(),
            StatusCode::kUnprocessable);
  ASSERT_TRUE(
      service_.Accept(kSpec1, id, std::chrono::system_clock::now(), std::nullopt, Audit()).ok());
  // Visible to spec1 (its own): wrong state, named.
  Status again =
      service_.Accept(kSpec1, id, std::chrono::system_clock::now(), std::nullopt, Audit()).status();
  EXPECT_EQ(again.code(), StatusCode::kConflict);
  EXPECT_NE(again.message().find("accepted"), std::string::npos);
  // spec2 lost the race: told it is taken, not by whom, and it no longer sees it.
  Status lost =
      service_.Accept(kSpec2, id, std::chrono::system_clock::now(), std::nullopt, Audit()).status();
  EXPECT_EQ(lost.code(), StatusCode::kConflict);
  EXPECT_EQ(lost.message().find("user20"), std::string::npos);
  EXPECT_EQ(service_.Get(kSpec2, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_.Accept(kFac1, id, std::chrono::system_clock::now(), std::nullopt, Audit())
                .status()
                .code(),
            StatusCode::kPermissionDenied);
}

TEST_F(ConsultationServiceTest, OnlyTheAcceptingSpecialistCompletesOrMarksNoShow) {
  const std::string id = Accepted(kSpec1);
  EXPECT_EQ(service_.Complete(kSpec2, id, "x", {}, std::nullopt, Audit()).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_.MarkNoShow(kSpec2, id, std::nullopt, Audit()).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_.Cancel(kSpec2, id, "busy", std::nullopt, Audit()).status().code(),
            StatusCode::kNotFound);
  auto no_show = service_.MarkNoShow(kSpec1, id, std::nullopt, Audit());
  ASSERT_TRUE(no_show.ok());
  EXPECT_EQ(no_show->status, ConsultationStatus::kNoShow);
  Status late = service_.Complete(kSpec1, id, "x", {}, std::nullopt, Audit()).status();
  EXPECT_EQ(late.code(), StatusCode::kConflict);
  EXPECT_NE(late.message().find("no_show"), std::string::npos);
}

TEST_F(ConsultationServiceTest, CompleteValidatesConclusionAndCodes) {
  const std::string id = Accepted();
  EXPECT_EQ(service_.Complete(kSpec1, id, "  ", {}, std::nullopt, Audit()).status().code(),
            StatusCode::kUnprocessable);
  EXPECT_EQ(service_
                .Complete(kSpec1, id, std::string(kMaxConclusionBytes + 1, 'c'), {}, std::nullopt,
                          Audit())
                .status()
                .code(),
            StatusCode::kUnprocessable);
  EXPECT_EQ(service_.Complete(kSpec1, id, "ok", {"<b>"}, std::nullopt, Audit()).status().code(),
            StatusCode::kUnprocessable);
  EXPECT_EQ(repo_.rows.begin()->second.status, ConsultationStatus::kAccepted);
}

TEST_F(ConsultationServiceTest, ActingOnARequestedOneIsNotFoundForASpecialist) {
  // Nobody accepted it yet, so it is no specialist's: complete, no-show and cancel
  // answer as if absent, while reading it stays open to every specialist.
  const std::string id = Booked();
  EXPECT_EQ(service_.Complete(kSpec1, id, "x", {}, std::nullopt, Audit()).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_.MarkNoShow(kSpec1, id, std::nullopt, Audit()).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(service_.Cancel(kSpec1, id, "no", std::nullopt, Audit()).status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(service_.Get(kSpec1, id).ok());
  EXPECT_TRUE(service_.Get(kSpec2, id).ok());
  EXPECT_EQ(repo_.rows.begin()->second.status, ConsultationStatus::kRequested);
}

TEST_F(ConsultationServiceTest, CancelRules) {
  // The facility cancels while requested or accepted, then never again.
  const std::string requested = Booked();
  ASSERT_TRUE(service_.Cancel(kFac1, requested, "", std::nullopt, Audit()).ok());
  EXPECT_EQ(service_.Cancel(kFac1, requested, "", std::nullopt, Audit()).status().code(),
            StatusCode::kConflict);
  const std::string accepted = Accepted();
  ASSERT_TRUE(service_.Cancel(kAdmin, accepted, "duplicate", std::nullopt, Audit()).ok());
  // A specialist: only its accepted one, and only with a reason.
  const std::string mine = Accepted(kSpec1);
  EXPECT_EQ(service_.Cancel(kSpec1, mine, " ", std::nullopt, Audit()).status().code(),
            StatusCode::kUnprocessable);
  auto cancelled = service_.Cancel(kSpec1, mine, "on leave", std::nullopt, Audit());
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->cancel_reason, "on leave");
  const std::string open = Booked();
  EXPECT_EQ(service_.Cancel(kSpec1, open, "no", std::nullopt, Audit()).status().code(),
            StatusCode::kNotFound);
}

TEST_F(ConsultationServiceTest, StaleVersionIsAFailedPrecondition) {
  const std::string id = Booked();
  EXPECT_EQ(
      service_.Accept(kSpec1, id, std::chrono::system_clock::now(), 2, Audit()).status().code(),
      StatusCode::kFailedPrecondition);
  auto ok = service_.Accept(kSpec1, id, std::chrono::system_clock::now(), 1, Audit());
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(service_.Complete(kSpec1, id, "x", {}, 1, Audit()).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(service_.Complete(kSpec1, id, "x", {}, 2, Audit()).ok());
}

TEST_F(ConsultationServiceTest, MalformedOrUnknownIdsAreNotFound) {
  Booked();
  for (const char* id : {"abc", "0", "-1", "1e3", "99999999999999999999", "", "42"}) {
    EXPECT_EQ(service_.Get(kAdmin, id).status().code(), StatusCode::kNotFound) << id;
    EXPECT_EQ(service_.Cancel(kAdmin, id, "", std::nullopt, Audit()).status().code(),
              StatusCode::kNotFound)
        << id;
  }
}

TEST_F(ConsultationServiceTest, SpecialistSeesRequestedAndItsOwnOnly) {
  const std::string open = Booked();
  const std::string theirs = Accepted(kSpec2);
  const std::string mine = Accepted(kSpec1);
  EXPECT_TRUE(service_.Get(kSpec1, open).ok());
  EXPECT_TRUE(service_.Get(kSpec1, mine).ok());
  EXPECT_EQ(service_.Get(kSpec1, theirs).status().code(), StatusCode::kNotFound);
  auto page = service_.List(kSpec1, {});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 2u);
}

TEST_F(ConsultationServiceTest, OutageIsUnavailable) {
  repo_.outage = true;
  EXPECT_EQ(service_.Book(kFac1, Booking(), Audit()).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(service_.Get(kAdmin, "1").status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace telerad
