// The ConsultationRepository contract (src/online/consultation_repository.h): bookings,
// the guarded transitions and the reason a refused one gives, what each transition
// records, and List's filters, order and cursor. Instantiate with an environment
// (contract_env.h) that also has `ConsultationRepository& consultations()`:
//   INSTANTIATE_TYPED_TEST_SUITE_P(FakeConsultations, ConsultationRepositoryContract, FakeEnv);
#pragma once

#include <string>
#include <vector>

#include "src/online/consultation_repository.h"
#include "tests/contract/contract_env.h"
#include "tests/test_audit.h"

namespace telerad::contract {

template <typename Env>
class ConsultationRepositoryContract : public RepositoryContract<Env> {
 protected:
  void SetUp() override {
    RepositoryContract<Env>::SetUp();
    booker_ = this->env_.AddUser("fac_a", "facility", this->facility_.id);
    spec1_ = this->env_.AddUser("spec1", "specialist", std::nullopt);
    spec2_ = this->env_.AddUser("spec2", "specialist", std::nullopt);
  }

  ConsultationRepository& consultations() { return this->env_.consultations(); }

  // A booking of facility A (or `facility`) for `specialty`, wanted `day` days after the
  // fixed reference time.
  Consultation Book(const std::string& specialty = "cardiology", int day = 0,
                    std::optional<int64_t> facility = std::nullopt) {
    NewConsultation b;
    b.facility_id = facility.value_or(this->facility_.id);
    b.created_by = booker_;
    b.patient = {"P1", "Дорж^Бат", "1980-05-01", "M"};
    b.specialty = specialty;
    b.reason = "chest pain";
    b.requested_at = At(day);
    auto created = consultations().Create(b, Audit());
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : Consultation{};
  }

  static TimePoint At(int day) {
    return TimePoint(std::chrono::seconds(1767225600 + day * 86400));  // 2026-01-01 + days
  }

  static TransitionGuard From(ConsultationStatus status) {
    TransitionGuard g;
    g.from = {status};
    return g;
  }

  Consultation Accepted(int64_t specialist, int day = 0) {
    const Consultation c = Book("cardiology", day);
    auto w = consultations().Accept(c.id, From(ConsultationStatus::kRequested), specialist, At(1),
                                    Audit());
    EXPECT_TRUE(w.ok() && w->block == TransitionBlock::kNone);
    return w.ok() && w->consultation ? *w->consultation : c;
  }

  std::vector<int64_t> Ids(ConsultationQuery q) {
    std::vector<int64_t> ids;
    for (int page = 0; page < 20; ++page) {
      auto result = consultations().List(q);
      EXPECT_TRUE(result.ok()) << result.status().ToString();
      if (!result.ok()) break;
      for (const Consultation& c : result->items) ids.push_back(c.id);
      if (!result->next_cursor) break;
      q.cursor = result->next_cursor;
    }
    return ids;
  }

  int64_t booker_ = 0, spec1_ = 0, spec2_ = 0;
};
TYPED_TEST_SUITE_P(ConsultationRepositoryContract);

TYPED_TEST_P(ConsultationRepositoryContract, ABookingIsStoredRequestedAtVersionOne) {
  const Consultation c = this->Book();
  EXPECT_NE(c.id, 0);
  EXPECT_EQ(c.status, ConsultationStatus::kRequested);
  EXPECT_EQ(c.version, 1);
  EXPECT_EQ(c.facility.id, this->facility_.id);
  EXPECT_EQ(c.facility.code, "A");
  EXPECT_EQ(c.facility.name, "Facility A");
  EXPECT_EQ(c.facility.aimag, "Увс");
  EXPECT_EQ(c.patient.name, "Дорж^Бат");
  EXPECT_EQ(c.patient.birth_date, "1980-05-01");
  EXPECT_EQ(c.requested_at, this->At(0));
  EXPECT_FALSE(c.specialist_id || c.slot_at || c.accepted_at || c.closed_at);
  auto found = this->consultations().Find(c.id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->created_at, c.created_at);
  EXPECT_EQ((*found)->reason, "chest pain");
  auto unknown = this->consultations().Find(c.id + 100);
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
}

TYPED_TEST_P(ConsultationRepositoryContract, AcceptingRecordsTheSpecialistAndTheSlot) {
  const Consultation c = this->Book();
  TransitionGuard g = this->From(ConsultationStatus::kRequested);
  g.version = 1;
  auto w = this->consultations().Accept(c.id, g, this->spec1_, this->At(2), Audit());
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->block, TransitionBlock::kNone);
  ASSERT_TRUE(w->consultation.has_value());
  const Consultation& a = *w->consultation;
  EXPECT_EQ(a.status, ConsultationStatus::kAccepted);
  EXPECT_EQ(a.version, 2);
  EXPECT_EQ(a.specialist_id, this->spec1_);
  EXPECT_EQ(a.specialist, "spec1");
  EXPECT_EQ(a.slot_at, this->At(2));
  EXPECT_TRUE(a.accepted_at.has_value());
  EXPECT_EQ(a.facility.code, "A");
  EXPECT_EQ((*this->consultations().Find(c.id))->version, 2);
}

TYPED_TEST_P(ConsultationRepositoryContract, ARefusedTransitionSaysWhyAndChangesNothing) {
  const Consultation c = this->Accepted(this->spec1_);
  auto unknown = this->consultations().Cancel(c.id + 100, this->From(c.status), "x", Audit());
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->block, TransitionBlock::kNotFound);
  EXPECT_FALSE(unknown->consultation.has_value());
  TransitionGuard other_facility = this->From(ConsultationStatus::kAccepted);
  other_facility.facility_id = this->other_.id;
  EXPECT_EQ(this->consultations().Cancel(c.id, other_facility, "x", Audit())->block,
            TransitionBlock::kNotFound);
  auto wrong_state = this->consultations().Accept(c.id, this->From(ConsultationStatus::kRequested),
                                                  this->spec2_, this->At(3), Audit());
  ASSERT_TRUE(wrong_state.ok());
  EXPECT_EQ(wrong_state->block, TransitionBlock::kWrongState);
  ASSERT_TRUE(wrong_state->consultation.has_value());
  EXPECT_EQ(wrong_state->consultation->specialist_id, this->spec1_);  // as it is now
  TransitionGuard not_mine = this->From(ConsultationStatus::kAccepted);
  not_mine.specialist_id = this->spec2_;
  EXPECT_EQ(this->consultations().Complete(c.id, not_mine, "x", {}, Audit())->block,
            TransitionBlock::kNotAssignee);
  TransitionGuard stale = this->From(ConsultationStatus::kAccepted);
  stale.specialist_id = this->spec1_;
  stale.version = 1;
  EXPECT_EQ(this->consultations().Complete(c.id, stale, "x", {}, Audit())->block,
            TransitionBlock::kStaleVersion);
  const Consultation now = **this->consultations().Find(c.id);
  EXPECT_EQ(now.status, ConsultationStatus::kAccepted);
  EXPECT_EQ(now.version, 2);
  EXPECT_EQ(now.conclusion, "");
}

TYPED_TEST_P(ConsultationRepositoryContract, CompletionCancellationAndNoShowRecordTheirOutcome) {
  const Consultation done = this->Accepted(this->spec1_);
  TransitionGuard g = this->From(ConsultationStatus::kAccepted);
  g.specialist_id = this->spec1_;
  g.version = 2;
  auto completed =
      this->consultations().Complete(done.id, g, "stable angina", {"I20.8", "BA40.Z"}, Audit());
  ASSERT_TRUE(completed.ok() && completed->block == TransitionBlock::kNone);
  EXPECT_EQ(completed->consultation->status, ConsultationStatus::kCompleted);
  EXPECT_EQ(completed->consultation->conclusion, "stable angina");
  EXPECT_EQ(completed->consultation->icd_codes, (std::vector<std::string>{"I20.8", "BA40.Z"}));
  EXPECT_TRUE(completed->consultation->completed_at.has_value());
  EXPECT_EQ(completed->consultation->version, 3);

  const Consultation cancelled = this->Book();
  auto c = this->consultations().Cancel(cancelled.id, this->From(ConsultationStatus::kRequested),
                                        "patient recovered", Audit());
  ASSERT_TRUE(c.ok() && c->block == TransitionBlock::kNone);
  EXPECT_EQ(c->consultation->status, ConsultationStatus::kCancelled);
  EXPECT_EQ(c->consultation->cancel_reason, "patient recovered");
  EXPECT_TRUE(c->consultation->closed_at.has_value());

  const Consultation missed = this->Accepted(this->spec2_);
  auto n = this->consultations().MarkNoShow(missed.id, this->From(ConsultationStatus::kAccepted),
                                            Audit());
  ASSERT_TRUE(n.ok() && n->block == TransitionBlock::kNone);
  EXPECT_EQ(n->consultation->status, ConsultationStatus::kNoShow);
  EXPECT_TRUE(n->consultation->closed_at.has_value());
  EXPECT_FALSE(n->consultation->completed_at.has_value());
}

TYPED_TEST_P(ConsultationRepositoryContract, ListIsNewestFirstAndPagesWithACursor) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.insert(ids.begin(), this->Book().id);
  for (int limit = 1; limit <= 6; ++limit) {
    ConsultationQuery q;
    q.limit = limit;
    EXPECT_EQ(this->Ids(q), ids) << "limit " << limit;
  }
  ConsultationQuery full;
  full.limit = 5;
  auto page = this->consultations().List(full);
  ASSERT_TRUE(page.ok());
  EXPECT_FALSE(page->next_cursor.has_value());  // a full last page has no cursor
  for (const char* bad : {"", "x1", "-1", "1.5"}) {
    ConsultationQuery q;
    q.cursor = bad;
    EXPECT_EQ(this->consultations().List(q).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TYPED_TEST_P(ConsultationRepositoryContract, ListFiltersCombine) {
  const int64_t cardio = this->Book("cardiology", 0).id;
  const int64_t neuro = this->Book("neurology", 2).id;
  const int64_t foreign = this->Book("cardiology", 4, this->other_.id).id;
  const int64_t mine = this->Accepted(this->spec1_, 6).id;
  const int64_t theirs = this->Accepted(this->spec2_, 8).id;
  using V = std::vector<int64_t>;
  ConsultationQuery q;
  q.specialty = "neurology";
  EXPECT_EQ(this->Ids(q), (V{neuro}));
  q = ConsultationQuery{};
  q.status = ConsultationStatus::kAccepted;
  EXPECT_EQ(this->Ids(q), (V{theirs, mine}));
  q = ConsultationQuery{};
  q.facility_code = "B";
  EXPECT_EQ(this->Ids(q), (V{foreign}));
  q.facility_code = "Z";
  EXPECT_TRUE(this->Ids(q).empty());
  q = ConsultationQuery{};
  q.facility_id = this->facility_.id;
  EXPECT_EQ(this->Ids(q), (V{theirs, mine, neuro, cardio}));
  q = ConsultationQuery{};
  q.requested_from = this->At(2);
  q.requested_to = this->At(6);  // from inclusive, to exclusive
  EXPECT_EQ(this->Ids(q), (V{foreign, neuro}));
  q = ConsultationQuery{};
  q.specialist_id = this->spec1_;  // still requested anywhere, and its own accepted one
  EXPECT_EQ(this->Ids(q), (V{mine, foreign, neuro, cardio}));
}

// A booking's entry names the new id; a transition and its entry commit together, or
// neither when the audit insert fails.
TYPED_TEST_P(ConsultationRepositoryContract, ChangesAndTheirAuditEntriesCommitTogether) {
  NewConsultation b;
  b.facility_id = this->facility_.id;
  b.created_by = this->booker_;
  b.patient = {"P1", "Дорж^Бат", "1980-05-01", "M"};
  b.specialty = "cardiology";
  b.reason = "chest pain";
  b.requested_at = this->At(0);
  AuditEntry booked = this->Entry("consultation.create", "");
  auto created = this->consultations().Create(b, booked);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto trail = this->Trail("consultation.create");
  ASSERT_EQ(trail.size(), 1u);
  EXPECT_EQ(trail[0].object_id, std::to_string(created->id));
  EXPECT_EQ(trail[0].id, booked.id);

  this->env_.FailAuditAppends();
  AuditEntry accepted = this->Entry("consultation.accept", std::to_string(created->id));
  EXPECT_FALSE(this->consultations()
                   .Accept(created->id, this->From(ConsultationStatus::kRequested), this->spec1_,
                           this->At(1), accepted)
                   .ok());
  auto now = this->consultations().Find(created->id);
  ASSERT_TRUE(now.ok() && now->has_value());
  EXPECT_EQ((*now)->status, ConsultationStatus::kRequested);
  EXPECT_EQ((*now)->version, 1);
  EXPECT_TRUE(this->Trail("consultation.accept").empty());
}

REGISTER_TYPED_TEST_SUITE_P(ConsultationRepositoryContract, ABookingIsStoredRequestedAtVersionOne,
                            ChangesAndTheirAuditEntriesCommitTogether,
                            AcceptingRecordsTheSpecialistAndTheSlot,
                            ARefusedTransitionSaysWhyAndChangesNothing,
                            CompletionCancellationAndNoShowRecordTheirOutcome,
                            ListIsNewestFirstAndPagesWithACursor, ListFiltersCombine);

}  // namespace telerad::contract
