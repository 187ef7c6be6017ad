// Online-hospital e-examinations over HTTP against the real server and PostgreSQL:
// booking, facility isolation, the specialist's accept / complete / no-show / cancel,
// wrong states, versions, validation, paging, the audit trail and the KPI aggregates the
// schema's triggers keep.
#include <gtest/gtest.h>
#include <unistd.h>

#include <future>
#include <map>
#include <set>
#include <tuple>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

const char* kPatientName = "Должинсүрэн Өлзийбаяр";

nlohmann::json Booking(const std::string& patient_id = "MN-77010101") {
  return {
      {"patient",
       {{"id", patient_id}, {"name", kPatientName}, {"birth_date", "1977-01-01"}, {"sex", "F"}}},
      {"specialty", "Cardiology"},
      {"reason", "Зүрх дэлсэх, амьсгаадах"},
      {"requested_at", "2025-05-20T10:00:00+08:00"}};
}

class ConsultationTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    db_.Scalar(
        "INSERT INTO facility (code, name, aimag, ae_title) VALUES ('OTHER', 'Өөр эмнэлэг', "
        "'Дорнод', 'OTHER_SCU')");
    AddUser("fac2", "facility", "OTHER");
    AddUser("spec2", "specialist");
    fac1_ = Login(server_->http_port, "fac1");
    spec1_ = Login(server_->http_port, "spec1");
  }
  HttpResponse Call(const std::string& method, const std::string& path, const std::string& token,
                    const nlohmann::json& body = nullptr,
                    const std::vector<std::string>& headers = {}) {
    return Http(method, server_->http_port, path, body.is_null() ? "" : body.dump(), token,
                headers);
  }
  // A booking by fac1; its path.
  std::string Booked(const nlohmann::json& booking = Booking()) {
    HttpResponse r = Call("POST", "/api/v1/consultations", fac1_, booking);
    EXPECT_EQ(r.status, 201) << r.body;
    return "/api/v1/consultations/" + std::to_string(r.json["id"].get<int64_t>());
  }
  std::string Accepted(const std::string& token) {
    const std::string path = Booked();
    HttpResponse r =
        Call("POST", path + "/accept", token, {{"slot_at", "2025-05-21T09:30:00+08:00"}});
    EXPECT_EQ(r.status, 200) << r.body;
    return path;
  }
  std::string fac1_, spec1_;
};

TEST_F(ConsultationTest, FacilityBooksForItsOwnFacility) {
  nlohmann::json booking = Booking();
  booking["facility"] = {{"code", "OTHER"}};  // ignored: the facility is the caller's
  HttpResponse r = Call("POST", "/api/v1/consultations", fac1_, booking);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.etag, "\"1\"");
  EXPECT_EQ(r.json["status"], "requested");
  EXPECT_EQ(r.json["facility"]["code"], "DEMO");
  EXPECT_EQ(r.json["patient"]["name"], kPatientName);
  EXPECT_EQ(r.json["patient"]["birth_date"], "1977-01-01");
  EXPECT_EQ(r.json["specialty"], "cardiology");
  EXPECT_EQ(r.json["requested_at"], "2025-05-20T02:00:00.000Z");
  EXPECT_TRUE(r.json["slot_at"].is_null());
  EXPECT_TRUE(r.json["specialist"].is_null());
  EXPECT_EQ(r.json["icd_codes"], nlohmann::json::array());
  const std::string path = "/api/v1/consultations/" + std::to_string(r.json["id"].get<int64_t>());
  HttpResponse view = Call("GET", path, fac1_);
  EXPECT_EQ(view.status, 200);
  EXPECT_EQ(view.json, r.json);
}

TEST_F(ConsultationTest, AnotherFacilityGetsNotFoundAndNoPatientData) {
  const std::string path = Booked();
  const std::string fac2 = Login(server_->http_port, "fac2");
  for (auto [method, suffix, body] :
       {std::tuple<std::string, std::string, nlohmann::json>{"GET", "", nullptr},
        {"POST", "/cancel", {{"reason", "x"}}}}) {
    HttpResponse r = Call(method, path + suffix, fac2, body);
    EXPECT_EQ(r.status, 404) << method << suffix << " " << r.body;
    EXPECT_EQ(r.body.find("Должинсүрэн"), std::string::npos);
  }
  HttpResponse list = Call("GET", "/api/v1/consultations", fac2);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json["items"].size(), 0u);
  EXPECT_EQ(Call("GET", path, fac1_).json["status"], "requested");
}

TEST_F(ConsultationTest, MinistryAndRadiologistAreRefusedWithoutPatientData) {
  const std::string path = Booked();
  for (const char* user : {"ministry1", "rad1"}) {
    const std::string token = Login(server_->http_port, user);
    for (auto [method, p] : {std::pair<std::string, std::string>{"GET", path},
                             {"GET", "/api/v1/consultations"},
                             {"POST", path + "/cancel"},
                             {"POST", "/api/v1/consultations"}}) {
      HttpResponse r = Call(method, p, token, method == "POST" ? Booking() : nullptr);
      EXPECT_EQ(r.status, 403) << user << " " << method << " " << p;
      EXPECT_EQ(r.body.find("Должинсүрэн"), std::string::npos);
    }
  }
}

TEST_F(ConsultationTest, SpecialistAcceptsAndCompletes) {
  const std::string path = Booked();
  HttpResponse queue = Call("GET", "/api/v1/consultations?status=requested", spec1_);
  ASSERT_EQ(queue.status, 200);
  ASSERT_EQ(queue.json["items"].size(), 1u);
  HttpResponse accepted = Call("POST", path + "/accept", spec1_,
                               {{"slot_at", "2025-05-21T09:30:00+08:00"}}, {"If-Match: \"1\""});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json["status"], "accepted");
  EXPECT_EQ(accepted.json["specialist"], "spec1");
  EXPECT_EQ(accepted.json["slot_at"], "2025-05-21T01:30:00.000Z");
  EXPECT_EQ(accepted.etag, "\"2\"");
  HttpResponse done = Call("POST", path + "/complete", spec1_,
                           {{"conclusion", "Артерийн даралт ихсэх. Эмчилгээ тохируулав."},
                            {"icd_codes", {"i10", "BA00", "I10"}},
                            {"version", 2}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json["status"], "completed");
  EXPECT_EQ(done.json["icd_codes"], nlohmann::json({"I10", "BA00"}));
  EXPECT_FALSE(done.json["completed_at"].is_null());
  EXPECT_EQ(done.json["version"], 3);
  // The facility reads the conclusion.
  HttpResponse seen = Call("GET", path, fac1_);
  EXPECT_EQ(seen.json["conclusion"], done.json["conclusion"]);
}

TEST_F(ConsultationTest, WrongStateIsAConflictNamingTheStatus) {
  const std::string path = Booked();
  // A requested one is no specialist's yet: acting on it is a 404 (see
  // SecondSpecialistCannotTouchAnothersAcceptedOne), though every specialist reads it.
  HttpResponse early = Call("POST", path + "/complete", spec1_, {{"conclusion", "x"}});
  EXPECT_EQ(early.status, 404) << early.body;
  EXPECT_EQ(Call("POST", path + "/no-show", spec1_).status, 404);
  EXPECT_EQ(Call("POST", path + "/cancel", spec1_, {{"reason", "x"}}).status, 404);
  EXPECT_EQ(Call("GET", path, spec1_).status, 200);
  ASSERT_EQ(Call("POST", path + "/cancel", fac1_, {{"reason", "patient recovered"}}).status, 200);
  HttpResponse late = Call("POST", path + "/accept", spec1_, {{"slot_at", "2025-05-21T09:30:00Z"}});
  EXPECT_EQ(late.status, 409);
  EXPECT_NE(late.json["error"]["message"].get<std::string>().find("cancelled"), std::string::npos);
  EXPECT_EQ(Call("POST", path + "/cancel", fac1_).status, 409);
}

TEST_F(ConsultationTest, SecondSpecialistCannotTouchAnothersAcceptedOne) {
  const std::string path = Accepted(spec1_);
  const std::string spec2 = Login(server_->http_port, "spec2");
  EXPECT_EQ(Call("POST", path + "/complete", spec2, {{"conclusion", "x"}}).status, 404);
  EXPECT_EQ(Call("POST", path + "/no-show", spec2).status, 404);
  EXPECT_EQ(Call("POST", path + "/cancel", spec2, {{"reason", "x"}}).status, 404);
  EXPECT_EQ(Call("GET", path, spec2).status, 404);
  EXPECT_EQ(Call("GET", path, spec1_).json["status"], "accepted");
  // Two specialists accepting the same booking: one wins; the other learns it was taken.
  const std::string open = Booked();
  EXPECT_EQ(Call("POST", open + "/accept", spec2, {{"slot_at", "2025-05-22T09:00:00Z"}}).status,
            200);
  HttpResponse lost = Call("POST", open + "/accept", spec1_, {{"slot_at", "2025-05-22T09:00:00Z"}});
  EXPECT_EQ(lost.status, 409) << lost.body;
  EXPECT_EQ(lost.body.find("spec2"), std::string::npos);
}

TEST_F(ConsultationTest, NoShowAndSpecialistCancel) {
  const std::string path = Accepted(spec1_);
  HttpResponse no_show = Call("POST", path + "/no-show", spec1_);
  ASSERT_EQ(no_show.status, 200) << no_show.body;
  EXPECT_EQ(no_show.json["status"], "no_show");
  EXPECT_FALSE(no_show.json["closed_at"].is_null());
  const std::string other = Accepted(spec1_);
  EXPECT_EQ(Call("POST", other + "/cancel", spec1_).status, 422);  // a reason is required
  HttpResponse cancelled = Call("POST", other + "/cancel", spec1_, {{"reason", "on leave"}});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.json["status"], "cancelled");
  EXPECT_EQ(cancelled.json["cancel_reason"], "on leave");
  // Admins may cancel any.
  const std::string third = Booked();
  EXPECT_EQ(Call("POST", third + "/cancel", Login(server_->http_port, "admin")).status, 200);
}

TEST_F(ConsultationTest, StaleVersionIsPreconditionFailed) {
  const std::string path = Booked();
  HttpResponse stale = Call("POST", path + "/accept", spec1_, {{"slot_at", "2025-05-21T09:30:00Z"}},
                            {"If-Match: \"5\""});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(Call("GET", path, spec1_).json["status"], "requested");
  EXPECT_EQ(Call("POST", path + "/cancel", fac1_, {{"version", 9}}).status, 412);
}

TEST_F(ConsultationTest, ValidationErrorsAreClearAndEchoNoPatientData) {
  struct Case {
    std::string field;
    nlohmann::json value;  // null: remove the field
  };
  const std::vector<Case> cases = {
      {"patient", nullptr},           {"specialty", nullptr},       {"reason", ""},
      {"requested_at", "2025-05-20"}, {"requested_at", "tomorrow"}, {"requested_at", nullptr},
  };
  for (const Case& c : cases) {
    nlohmann::json b = Booking();
    if (c.value.is_null())
      b.erase(c.field);
    else
      b[c.field] = c.value;
    HttpResponse r = Call("POST", "/api/v1/consultations", fac1_, b);
    EXPECT_EQ(r.status, 422) << c.field << " " << r.body;
    EXPECT_NE(r.json["error"]["message"].get<std::string>().find(c.field), std::string::npos)
        << r.body;
    EXPECT_EQ(r.body.find("Должинсүрэн"), std::string::npos);
  }
  for (auto [field, value] : {std::pair<std::string, nlohmann::json>{"birth_date", "1977-13-01"},
                              {"sex", "Эм"},
                              {"id", std::string(65, '1')},
                              {"name", std::string(300, 'x')}}) {
    nlohmann::json b = Booking();
    b["patient"][field] = value;
    HttpResponse r = Call("POST", "/api/v1/consultations", fac1_, b);
    EXPECT_EQ(r.status, 422) << field << " " << r.body;
    EXPECT_NE(r.body.find("patient." + field), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("Должинсүрэн"), std::string::npos);
  }
  EXPECT_EQ(Call("POST", "/api/v1/consultations", fac1_, "not json").status, 400);
  const std::string path = Booked();
  EXPECT_EQ(Call("POST", path + "/accept", spec1_, nlohmann::json::object()).status, 422);
  EXPECT_EQ(Call("POST", path + "/accept", spec1_, {{"slot_at", "2025-02-30T10:00:00Z"}}).status,
            422);
  for (const char* bad :
       {"/api/v1/consultations/abc", "/api/v1/consultations/0",
        "/api/v1/consultations/99999999999999999999", "/api/v1/consultations/424242"})
    EXPECT_EQ(Call("GET", bad, fac1_).status, 404) << bad;
  EXPECT_EQ(Call("GET", "/api/v1/consultations?limit=0", fac1_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/consultations?status=done", fac1_).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/consultations?cursor=x1", fac1_).status, 400);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM consultation"), "1");
}

TEST_F(ConsultationTest, CursorPagesThroughEveryItemOnce) {
  for (int i = 0; i < 7; ++i) Booked(Booking("P" + std::to_string(i)));
  std::set<int64_t> seen;
  std::string cursor;
  int pages = 0;
  int64_t previous = INT64_MAX;
  do {
    HttpResponse r = Call("GET",
                          "/api/v1/consultations?limit=3&specialty=cardiology" +
                              (cursor.empty() ? "" : "&cursor=" + cursor),
                          fac1_);
    ASSERT_EQ(r.status, 200) << r.body;
    for (const auto& item : r.json["items"]) {
      const int64_t id = item["id"].get<int64_t>();
      EXPECT_LT(id, previous);  // newest booking first
      previous = id;
      EXPECT_TRUE(seen.insert(id).second);
    }
    cursor = r.json["next_cursor"].is_null() ? "" : r.json["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(pages, 3);
  // Filters: another specialty and a requested_at window outside the bookings.
  EXPECT_EQ(Call("GET", "/api/v1/consultations?specialty=neurology", fac1_).json["items"].size(),
            0u);
  EXPECT_EQ(Call("GET", "/api/v1/consultations?from=2025-05-21", fac1_).json["items"].size(), 0u);
  EXPECT_EQ(Call("GET", "/api/v1/consultations?from=2025-05-20&to=2025-05-21&facility=DEMO", fac1_)
                .json["items"]
                .size(),
            7u);
}

TEST_F(ConsultationTest, EveryCallIsAudited) {
  const std::string path = Accepted(spec1_);
  const std::string id = path.substr(path.rfind('/') + 1);
  ASSERT_EQ(Call("POST", path + "/complete", spec1_, {{"conclusion", "ok"}}).status, 200);
  ASSERT_EQ(Call("GET", path, fac1_).status, 200);
  ASSERT_EQ(Call("GET", "/api/v1/consultations", fac1_).status, 200);
  EXPECT_EQ(Call("GET", path, Login(server_->http_port, "fac2")).status, 404);
  const std::string admin = Login(server_->http_port, "admin");
  std::map<std::string, std::string> outcomes;
  for (int attempt = 0; attempt < 50 && outcomes.size() < 6; ++attempt) {
    // Reads are recorded a moment after they are answered.
    outcomes.clear();
    HttpResponse trail = Call("GET", "/api/v1/audit?limit=200", admin);
    ASSERT_EQ(trail.status, 200);
    for (const auto& e : trail.json["items"]) {
      const std::string action = e["action"];
      if (action.rfind("consultation.", 0) != 0) continue;
      EXPECT_EQ(e["object_type"], "consultation");
      if (action != "consultation.list") {
        EXPECT_EQ(e["object_id"], id);
      }
      outcomes[action + "/" + e["username"].get<std::string>()] = e["outcome"];
    }
    if (outcomes.size() < 6) usleep(100 * 1000);
  }
  EXPECT_EQ(outcomes["consultation.create/fac1"], "success");
  EXPECT_EQ(outcomes["consultation.accept/spec1"], "success");
  EXPECT_EQ(outcomes["consultation.complete/spec1"], "success");
  EXPECT_EQ(outcomes["consultation.view/fac1"], "success");
  EXPECT_EQ(outcomes["consultation.list/fac1"], "success");
  EXPECT_EQ(outcomes["consultation.view/fac2"], "not_found");
}

TEST_F(ConsultationTest, CompletionsFeedTheKpiAggregatesOnTheLocalDay) {
  const std::string path = Accepted(spec1_);
  ASSERT_EQ(Call("POST", path + "/complete", spec1_, {{"conclusion", "ok"}}).status, 200);
  const std::string demo = "(SELECT id FROM facility WHERE code = 'DEMO')";
  // A completion counts on the Asia/Ulaanbaatar day of completed_at.
  const std::string day =
      "(SELECT (completed_at AT TIME ZONE 'Asia/Ulaanbaatar')::date FROM consultation)";
  EXPECT_EQ(db_.Scalar("SELECT completed FROM kpi_consultation_daily WHERE facility_id = " + demo +
                       " AND day = " + day),
            "1");
  EXPECT_EQ(db_.Scalar("SELECT booked FROM kpi_consultation_daily WHERE facility_id = " + demo +
                       " AND day = (SELECT (created_at AT TIME ZONE 'Asia/Ulaanbaatar')::date"
                       " FROM consultation)"),
            "1");
  EXPECT_EQ(db_.Scalar("SELECT first_day = " + day +
                       " FROM kpi_facility_activity WHERE activity = 'online_hospital'"
                       " AND facility_id = " +
                       demo),
            "t");
  // A cancellation and a no-show are counted as such, not as completions.
  const std::string cancelled = Booked();
  ASSERT_EQ(Call("POST", cancelled + "/cancel", fac1_).status, 200);
  const std::string missed = Accepted(spec1_);
  ASSERT_EQ(Call("POST", missed + "/no-show", spec1_).status, 200);
  EXPECT_EQ(db_.Scalar("SELECT sum(booked) || '/' || sum(completed) || '/' || sum(cancelled) ||"
                       " '/' || sum(no_show) FROM kpi_consultation_daily"),
            "3/1/1/1");
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM kpi_facility_activity WHERE activity ="
                       " 'online_hospital'"),
            "1");
}

TEST_F(ConsultationTest, TwoServersRacingOnOneDatabaseNeverBothWin) {
  TeleradServer second(db_, options_);
  second.Start();
  const std::string spec2 = Login(second.http_port, "spec2");
  for (int i = 0; i < 6; ++i) {
    const std::string path = Booked();
    const nlohmann::json slot = {{"slot_at", "2025-05-21T09:30:00Z"}};
    auto a = std::async(std::launch::async, [&] {
      return Http("POST", server_->http_port, path + "/accept", slot.dump(), spec1_).status;
    });
    auto b = std::async(std::launch::async, [&] {
      return Http("POST", second.http_port, path + "/accept", slot.dump(), spec2).status;
    });
    const int sa = a.get(), sb = b.get();
    EXPECT_TRUE((sa == 200 && sb == 409) || (sa == 409 && sb == 200)) << sa << " " << sb;
    // The facility cancelling while the winner completes: one of the two, never both.
    const std::string winner = sa == 200 ? spec1_ : spec2;
    const int winner_port = sa == 200 ? server_->http_port : second.http_port;
    auto done = std::async(std::launch::async, [&] {
      return Http("POST", winner_port, path + "/complete", R"({"conclusion":"ok"})", winner).status;
    });
    auto cancel = std::async(std::launch::async, [&] {
      return Http("POST", second.http_port, path + "/cancel", "", fac1_).status;
    });
    const int sd = done.get(), sc = cancel.get();
    EXPECT_TRUE((sd == 200 && sc == 409) || (sd == 409 && sc == 200)) << sd << " " << sc;
  }
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM consultation WHERE status = 'accepted'"), "0");
  EXPECT_EQ(db_.Scalar("SELECT sum(completed + cancelled) FROM kpi_consultation_daily"), "6");
}

}  // namespace
}  // namespace telerad::testing
