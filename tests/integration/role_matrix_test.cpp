// The role x route matrix: every route the server has, called by every role, against the
// real server. The table below is the access policy in one place; the first test fails
// when a route is added (or its roles change) without its row here.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

struct Row {
  std::string method;
  std::string path;     // as the router has it, with :params
  std::string allowed;  // roles, comma-separated, or "public"
  std::string body;     // request body for the call, "" for none
};

// Calls are made in this order, so state-changing rows come where they make sense
// (claim before release). Bodies are harmless: they either change nothing lasting or
// fail validation after the role check.
const std::vector<Row> kMatrix = {
    {"GET", "/healthz", "public", ""},
    {"GET", "/readyz", "public", ""},
    {"GET", "/metrics", "admin,ministry", ""},
    {"POST", "/api/v1/auth/login", "public", R"({"username":"rad1","password":"telerad-demo"})"},
    {"GET", "/api/v1/auth/session", "public", ""},
    {"POST", "/api/v1/auth/logout", "admin,radiologist,facility,ministry,specialist", ""},
    {"GET", "/api/v1/worklist", "admin,radiologist,facility", ""},
    {"GET", "/api/v1/studies/:study_uid", "admin,radiologist,facility", ""},
    {"PATCH", "/api/v1/studies/:study_uid", "admin,facility", R"({"clinical_info":"matrix"})"},
    {"POST", "/api/v1/studies/:study_uid/claim", "radiologist", ""},
    {"POST", "/api/v1/studies/:study_uid/release", "radiologist", ""},
    {"GET", "/api/v1/studies/:study_uid/report", "admin,radiologist,facility", ""},
    {"PUT", "/api/v1/studies/:study_uid/report", "radiologist", R"({"findings":"x"})"},
    {"POST", "/api/v1/studies/:study_uid/report/sign", "radiologist", ""},
    {"POST", "/api/v1/studies/:study_uid/report/addenda", "radiologist", R"({"text":"x"})"},
    {"POST", "/api/v1/studies/:study_uid/report/acknowledge", "facility", ""},
    // Templates: the POST body fails validation, the PUT names no version (412), and
    // :id is the e-examination's id, a starter template the admin's DELETE removes.
    {"GET", "/api/v1/report-templates", "admin,radiologist", ""},
    {"POST", "/api/v1/report-templates", "admin", "{}"},
    {"PUT", "/api/v1/report-templates/:id", "admin",
     R"({"name":"x","language":"en","findings":"x"})"},
    {"DELETE", "/api/v1/report-templates/:id", "admin", ""},
    // Code lists: a search is reference data for every role; the PUT has no body (415).
    {"GET", "/api/v1/codes", "admin,radiologist,facility,ministry,specialist", ""},
    {"PUT", "/api/v1/codes/:system", "admin", ""},
    // The e-examination created in SetUp stays requested: bodies fail validation after
    // the role check, the cancel names a stale version (412), and a no-show of a
    // requested one is a conflict.
    {"POST", "/api/v1/consultations", "facility", "{}"},
    {"GET", "/api/v1/consultations", "admin,facility,specialist", ""},
    {"GET", "/api/v1/consultations/:id", "admin,facility,specialist", ""},
    {"POST", "/api/v1/consultations/:id/accept", "specialist", "{}"},
    {"POST", "/api/v1/consultations/:id/complete", "specialist", "{}"},
    {"POST", "/api/v1/consultations/:id/cancel", "admin,facility,specialist",
     R"({"reason":"matrix","version":99})"},
    {"POST", "/api/v1/consultations/:id/no-show", "specialist", ""},
    {"GET", "/api/v1/facilities", "admin", ""},
    {"POST", "/api/v1/facilities", "admin", "{}"},
    {"GET", "/api/v1/facilities/:code", "admin", ""},
    {"PATCH", "/api/v1/facilities/:code", "admin", R"({"active":true})"},
    {"GET", "/api/v1/facilities/:code/machine-tokens", "admin", ""},
    {"POST", "/api/v1/facilities/:code/machine-tokens", "admin", "{}"},
    // :id is the e-examination's id: no such token (404) for the admin.
    {"DELETE", "/api/v1/facilities/:code/machine-tokens/:id", "admin", ""},
    {"GET", "/api/v1/users", "admin", ""},
    {"POST", "/api/v1/users", "admin", "{}"},
    {"GET", "/api/v1/users/:username", "admin", ""},
    {"PATCH", "/api/v1/users/:username", "admin", R"({"active":true})"},
    {"GET", "/api/v1/kpi", "admin,ministry", ""},
    {"GET", "/api/v1/kpi/report", "admin,ministry", ""},
    {"GET", "/api/v1/kpi/targets", "admin,ministry", ""},
    {"PUT", "/api/v1/kpi/targets/:period/:indicator", "admin", R"({"target":30})"},
    {"DELETE", "/api/v1/kpi/targets/:period/:indicator", "admin", ""},
    {"GET", "/api/v1/audit", "admin", ""},
    {"GET", "/dicomweb/studies", "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/series", "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/series/:series_uid/instances",
     "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/instances", "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid", "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/series/:series_uid", "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid",
     "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/metadata", "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/series/:series_uid/metadata",
     "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid/metadata",
     "admin,radiologist,facility", ""},
    {"GET",
     "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid/frames/:frames",
     "admin,radiologist,facility", ""},
    {"GET",
     "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid/bulk/:path",
     "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/rendered", "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/series/:series_uid/rendered",
     "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid/rendered",
     "admin,radiologist,facility", ""},
    {"GET",
     "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid/frames/:frames/"
     "rendered",
     "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/thumbnail", "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/series/:series_uid/thumbnail",
     "admin,radiologist,facility", ""},
    {"GET", "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid/thumbnail",
     "admin,radiologist,facility", ""},
    {"GET",
     "/dicomweb/studies/:study_uid/series/:series_uid/instances/:sop_instance_uid/frames/:frames/"
     "thumbnail",
     "admin,radiologist,facility", ""},
    // No body: a facility gets 400 (no Content-Type), an admin 400 (no facility named).
    {"POST", "/dicomweb/studies", "admin,facility", ""},
    {"POST", "/dicomweb/studies/:study_uid", "admin,facility", ""},
};

const std::vector<std::string> kRoles = {"admin", "radiologist", "facility", "ministry",
                                         "specialist"};

TEST(RoleMatrixTest, EveryServedRouteHasARowWithTheSameRoles) {
  CommandResult routes = RunCommand(Quote(BinDir() + "/telerad") + " routes");
  ASSERT_EQ(routes.exit_code, 0) << routes.output;
  std::set<std::string> served, table;
  std::istringstream lines(routes.output);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) served.insert(line);
  for (const Row& r : kMatrix) table.insert(r.method + " " + r.path + " " + r.allowed);
  for (const auto& s : served) EXPECT_EQ(table.count(s), 1u) << "served, no matching row: " << s;
  for (const auto& t : table) EXPECT_EQ(served.count(t), 1u) << "row for no served route: " << t;
}

class RoleMatrixServerTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    db_.Scalar(
        "INSERT INTO facility (code, name, aimag, ae_title) VALUES ('OTHER', 'Өөр эмнэлэг', "
        "'Дорнод', 'OTHER_SCU')");
    AddUser("fac2", "facility", "OTHER");
    // An e-examination of DEMO for the :id rows.
    consultation_id_ = db_.Scalar(
        "INSERT INTO consultation (facility_id, patient_id, patient_name, specialty, reason,"
        " requested_at, created_by) SELECT f.id, 'MX-1', 'Матриц^Зөвлөгөө', 'cardiology',"
        " 'matrix', now(), u.id FROM facility f, app_user u WHERE f.code = 'DEMO'"
        " AND u.username = 'fac1' RETURNING id");
  }
  std::string consultation_id_;
};

TEST_F(RoleMatrixServerTest, EveryRoleGetsExactlyWhatTheTableAllows) {
  const std::string uid = ReadyStudies(1, 1201)[0];
  const std::string patient_name = db_.Scalar("SELECT split_part(patient_name, '^', 1) FROM study");
  ASSERT_FALSE(patient_name.empty());
  const std::string series_uid = db_.Scalar("SELECT series_uid FROM series");
  const std::string sop_uid = db_.Scalar("SELECT sop_instance_uid FROM instance");
  const std::map<std::string, std::string> user_of = {{"admin", "admin"},
                                                      {"radiologist", "rad1"},
                                                      {"facility", "fac1"},
                                                      {"ministry", "ministry1"},
                                                      {"specialist", "spec1"}};
  for (const Row& row : kMatrix) {
    std::string path = row.path;
    for (auto [param, value] : {std::pair<std::string, std::string>{":study_uid", uid},
                                {":series_uid", series_uid},
                                {":sop_instance_uid", sop_uid},
                                {":frames", "1"},
                                {":path", "7FE00010"},
                                {":code", "DEMO"},
                                {":id", consultation_id_},
                                {":username", "rad1"},
                                {":period", "2025"},
                                {":indicator", "e_examinations"},
                                {":system", "icd11"}})
      if (auto at = path.find(param); at != std::string::npos)
        path.replace(at, param.size(), value);
    const std::string what = row.method + " " + row.path;

    HttpResponse anonymous = Http(row.method, server_->http_port, path, row.body);
    if (row.allowed == "public") {
      EXPECT_LT(anonymous.status, 400) << what << " " << anonymous.body;
    } else {
      EXPECT_EQ(anonymous.status, 401) << what;
    }

    for (const std::string& role : kRoles) {
      // A fresh token per call: the logout row ends the session it is called with.
      const std::string token = Login(server_->http_port, user_of.at(role));
      HttpResponse r = Http(row.method, server_->http_port, path, row.body, token);
      const bool allowed = row.allowed == "public" ||
                           ("," + row.allowed + ",").find("," + role + ",") != std::string::npos;
      if (allowed) {
        EXPECT_NE(r.status, 401) << what << " as " << role << ": " << r.body;
        EXPECT_NE(r.status, 403) << what << " as " << role << ": " << r.body;
        EXPECT_LT(r.status, 500) << what << " as " << role << ": " << r.body;
      } else {
        EXPECT_EQ(r.status, 403) << what << " as " << role << ": " << r.body;
        EXPECT_EQ(r.json["error"]["code"], "permission_denied") << what << " as " << role;
      }
      // Ministry users never see patient data, on any route, nor do specialists see the
      // image side's; the study view shows that the name would be there for a role
      // entitled to it.
      if (role == "ministry" || role == "specialist") {
        EXPECT_EQ(r.body.find(patient_name), std::string::npos) << what;
      } else if (what == "GET /api/v1/studies/:study_uid") {
        EXPECT_NE(r.body.find(patient_name), std::string::npos) << what << " as " << role;
      }
      // Nor do ministry users or radiologists see an e-examination's patient.
      if (role == "ministry" || role == "radiologist") {
        EXPECT_EQ(r.body.find("Матриц"), std::string::npos) << what << " as " << role;
      } else if (what == "GET /api/v1/consultations/:id") {
        EXPECT_NE(r.body.find("Матриц"), std::string::npos) << what << " as " << role;
      }
    }
    // Another facility's user: the study or e-examination does not exist for it.
    // STOW-RS into another facility's study is refused per instance (0xC001 in its
    // answer), not by the study's existence.
    const bool stow = row.method == "POST" && row.path.rfind("/dicomweb/", 0) == 0;
    if ((row.path.find(":study_uid") != std::string::npos ||
         row.path.find(":id") != std::string::npos) &&
        row.allowed.find("facility") != std::string::npos && !stow) {
      HttpResponse other =
          Http(row.method, server_->http_port, path, row.body, Login(server_->http_port, "fac2"));
      // A DICOMweb search (QIDO-RS) answers what it may show: nothing, rather than 404;
      // WADO-RS answers 404 like the REST API.
      const auto ends_with = [&](const std::string& tail) {
        return row.path.size() >= tail.size() &&
               row.path.compare(row.path.size() - tail.size(), tail.size(), tail) == 0;
      };
      const bool search =
          row.path.rfind("/dicomweb/", 0) == 0 && (ends_with("/series") || ends_with("/instances"));
      if (search) {
        EXPECT_EQ(other.status, 200) << what << " as another facility";
        EXPECT_EQ(other.body, "[]") << what << " as another facility";
      } else {
        EXPECT_EQ(other.status, 404) << what << " as another facility";
      }
      EXPECT_EQ(other.body.find(patient_name), std::string::npos) << what;
      EXPECT_EQ(other.body.find("Матриц"), std::string::npos) << what;
    }
  }
}

}  // namespace
}  // namespace telerad::testing
