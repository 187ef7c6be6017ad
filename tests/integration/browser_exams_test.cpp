// The e-examination pages in a real browser (Debian's chromium driven by
// tests/browser/pages_exams.mjs) against the real server serving pages/dist: fac1 books
// an e-examination, spec1 accepts it with a slot and completes it with a conclusion and
// an ICD-10 code, fac1 sees the conclusion and cancels a second booking; what the pages
// did is checked through the API. A facility user opening the queue and a radiologist
// opening the facility's e-examinations are refused in words.
// Screenshots are kept in <build>/browser-artifacts/ (pages-exams-*.png).
// Skipped only when /usr/bin/chromium is absent (scripts/test installs it).
#include <unistd.h>

#include <regex>

#include "tests/integration/browser_script.h"
#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class BrowserExamsTest : public ServerTest {
 protected:
  BrowserExamsTest() { options_.env["TELERAD_PAGES_DIR"] = SourceDir() + "/pages/dist"; }

  nlohmann::json RunExams(const std::string& part) {
    return RunBrowserScript("pages_exams.mjs", server_->http_port, "--part " + part,
                            /*needs_pages=*/true);
  }
  HttpResponse Get(const std::string& path, const std::string& token) {
    return Http("GET", server_->http_port, path, "", token);
  }
};

// Every screenshot the script names is on disk.
void ExpectScreenshots(const nlohmann::json& report) {
  EXPECT_FALSE(report["screenshots"].empty());
  for (const auto& shot : report["screenshots"])
    EXPECT_EQ(::access(shot.get<std::string>().c_str(), R_OK), 0) << shot;
}

// No console error, script error or failed request at all: the flow makes none, and a
// refusal is decided by the pages before anything is asked of the server.
void ExpectClean(const nlohmann::json& report) {
  EXPECT_TRUE(report["console_errors"].empty()) << report["console_errors"].dump();
  EXPECT_TRUE(report["page_errors"].empty()) << report["page_errors"].dump();
  EXPECT_TRUE(report["failed_responses"].empty()) << report["failed_responses"].dump();
}

const std::regex kMongolianDateTime(R"(\d{4}\.\d{2}\.\d{2} \d{2}:\d{2})");

TEST_F(BrowserExamsTest, AFacilityBooksASpecialistAcceptsAndCompletesAndTheFacilitySeesIt) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  const nlohmann::json report = RunExams("flow");
  ASSERT_FALSE(report.empty());
  ASSERT_FALSE(report.contains("error")) << report["error"] << " " << report["steps"].dump();
  const nlohmann::json& steps = report["steps"];

  // fac1's navigation offers its inbox and its e-examinations.
  EXPECT_EQ(steps["fac_nav"], nlohmann::json({"/app", "/app/inbox", "/app/exams"}));
  EXPECT_EQ(steps["title"], "Цахим үзлэг");
  // An empty booking is stopped in the form: each missing field named, the first one
  // focused and described, nothing sent.
  const nlohmann::json& invalid = steps["invalid"];
  EXPECT_EQ(invalid["errors"],
            nlohmann::json({"patient_id", "specialty", "requested_at", "reason"}));
  EXPECT_EQ(invalid["focus"], "patient_id");
  EXPECT_EQ(invalid["described"], nlohmann::json({"true", "Өвчтөний дугаарыг оруулна уу."}));
  EXPECT_EQ(invalid["posts"], 0);
  // Booked: said in words, listed as requested, the preferred time in Mongolian format.
  const nlohmann::json& booked = steps["booked"];
  EXPECT_EQ(booked["posts"], 1);
  EXPECT_NE(booked["notice"].get<std::string>().find("бүртгэлээ"), std::string::npos);
  EXPECT_EQ(booked["status"], "Хүлээгдэж буй");
  EXPECT_TRUE(std::regex_match(booked["requested_at"].get<std::string>(), kMongolianDateTime))
      << booked.dump();
  EXPECT_EQ(booked["form_cleared"], true);

  // spec1's queue: the booking with its facility and specialty in words.
  const std::string facility = db_.Scalar("SELECT name FROM facility WHERE code = 'DEMO'");
  EXPECT_EQ(steps["queue"]["title"], "Үзлэгийн дараалал");
  EXPECT_EQ(steps["queue"]["nav"], nlohmann::json({"/app", "/app/queue"}));
  EXPECT_NE(steps["queue"]["facility"].get<std::string>().find(facility), std::string::npos);
  EXPECT_EQ(steps["queue"]["specialty"], "Зүрх судас");
  EXPECT_EQ(steps["filtered"]["url"], "/app/queue?specialty=neurology");
  EXPECT_EQ(steps["filtered"]["empty"], "Хүлээгдэж буй хүсэлт алга.");
  // Accepted with a slot typed in Ulaanbaatar time and shown back as typed.
  const nlohmann::json& accepted = steps["accepted"];
  EXPECT_EQ(steps["accept_focus"], "slot_at");
  const std::string slot_input = accepted["slot_input"];  // 2026-12-02T10:30
  EXPECT_EQ(accepted["slot_text"],
            std::regex_replace(slot_input.substr(0, 10), std::regex("-"), ".") + " 10:30");
  EXPECT_NE(accepted["notice"].get<std::string>().find("хүлээн авч"), std::string::npos);
  // Completing without a conclusion is stopped; the code is found by typing and picked
  // by keyboard.
  EXPECT_EQ(steps["complete_empty"], "Дүгнэлтээ бичнэ үү.");
  EXPECT_EQ(steps["active_option"], "J18.9");
  EXPECT_NE(steps["chip"].get<std::string>().find("J18.9"), std::string::npos);
  EXPECT_EQ(steps["still_open"], true);
  EXPECT_EQ(steps["completed"]["codes"], nlohmann::json({"J18.9"}));
  EXPECT_NE(steps["completed"]["notice"].get<std::string>().find("дуусгаж"), std::string::npos);

  // fac1's page, refreshed by itself, shows the outcome.
  const std::string conclusion = steps["completed"]["conclusion_input"];
  const nlohmann::json& seen = steps["facility_sees"];
  EXPECT_EQ(seen["status"], "Дууссан");
  EXPECT_EQ(seen["slot"], accepted["slot_text"]);
  EXPECT_EQ(seen["specialist"], "spec1");
  EXPECT_EQ(seen["conclusion"], conclusion);
  EXPECT_EQ(seen["codes"], nlohmann::json({"J18.9"}));
  EXPECT_EQ(seen["code_text"], "J18.9 — Хатгаа, тодорхойгүй");  // its title from the code list
  EXPECT_EQ(seen["cancel_button"], false);

  // What the server holds after the clicks.
  const std::string fac1 = Login(server_->http_port, "fac1");
  const HttpResponse exam = Get("/api/v1/consultations/" + booked["id"].get<std::string>(), fac1);
  ASSERT_EQ(exam.status, 200) << exam.body;
  EXPECT_EQ(exam.json["status"], "completed");
  EXPECT_EQ(exam.json["patient"]["id"], "UB-88021512");
  EXPECT_EQ(exam.json["patient"]["name"], "БАТ^ОЮУНЦЭЦЭГ");
  EXPECT_EQ(exam.json["patient"]["birth_date"], "1988-02-15");
  EXPECT_EQ(exam.json["patient"]["sex"], "F");
  EXPECT_EQ(exam.json["specialty"], "cardiology");
  EXPECT_EQ(exam.json["reason"], "Цээжээр өвдөх, зүрх дэлсэх; ЭКГ-д ST өөрчлөлт.");
  EXPECT_EQ(exam.json["requested_at"], booked["requested_at_utc"]);
  EXPECT_EQ(exam.json["slot_at"], accepted["slot_utc"]);
  EXPECT_EQ(exam.json["specialist"], "spec1");
  EXPECT_EQ(exam.json["conclusion"], conclusion);
  EXPECT_EQ(exam.json["icd_codes"], nlohmann::json({"J18.9"}));
  EXPECT_EQ(exam.json["facility"]["code"], "DEMO");

  // The second booking, cancelled after the question, with the facility's reason.
  EXPECT_EQ(steps["cancel_question"], "Энэ цахим үзлэгийг цуцлах уу?");
  EXPECT_EQ(steps["cancel_focus"], "cancel_reason");
  EXPECT_EQ(steps["cancelled"]["status"], "Цуцалсан");
  const HttpResponse cancelled =
      Get("/api/v1/consultations/" + steps["cancelled"]["id"].get<std::string>(), fac1);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.json["status"], "cancelled");
  EXPECT_EQ(cancelled.json["specialty"], "neurology");
  EXPECT_EQ(cancelled.json["cancel_reason"], "Өвчтөн биеэр ирж үзүүлнэ.");
  // Exactly the two bookings the browser made.
  EXPECT_EQ(Get("/api/v1/consultations", fac1).json["items"].size(), 2u);

  EXPECT_EQ(steps["tablet_overflow_exams"], false);
  EXPECT_EQ(steps["tablet_overflow_queue"], false);
  EXPECT_EQ(steps["english"]["title"], "E-examinations");
  EXPECT_EQ(steps["english"]["status"], "Completed");
  ExpectClean(report);
  ExpectScreenshots(report);
}

TEST_F(BrowserExamsTest, AFacilityIsRefusedTheQueueAndARadiologistTheFacilitysExaminations) {
  std::string why;
  if (!BrowserAvailable(why)) GTEST_SKIP() << why;
  const nlohmann::json report = RunExams("refusals");
  ASSERT_FALSE(report.empty());
  ASSERT_FALSE(report.contains("error")) << report["error"];
  const nlohmann::json& steps = report["steps"];

  EXPECT_EQ(steps["fac_queue"]["url"], "/app/queue");
  EXPECT_EQ(steps["fac_queue"]["title"], "Хандах эрхгүй");
  EXPECT_EQ(steps["fac_queue"]["text"],
            "„Үзлэгийн дараалал“ хуудас Эмнэлгийн ажилтан үүрэгтэй хэрэглэгчид нээлттэй биш.");
  EXPECT_EQ(steps["fac_queue"]["nav"], nlohmann::json({"/app", "/app/inbox", "/app/exams"}));
  EXPECT_EQ(steps["rad_exams"]["url"], "/app/exams");
  EXPECT_EQ(steps["rad_exams"]["title"], "Хандах эрхгүй");
  EXPECT_EQ(steps["rad_exams"]["text"],
            "„Цахим үзлэг“ хуудас Радиологич үүрэгтэй хэрэглэгчид нээлттэй биш.");
  EXPECT_EQ(steps["rad_exams"]["nav"], nlohmann::json({"/app", "/app/worklist"}));
  ExpectClean(report);
  ExpectScreenshots(report);
}

}  // namespace
}  // namespace telerad::testing
