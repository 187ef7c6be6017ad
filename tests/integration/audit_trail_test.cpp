// Audit an auditor would accept, played against the real binary over HTTP: a change and
// its audit row commit in one transaction (a refused audit insert undoes the change and
// the client gets an error); list reads record which studies they returned; reading the
// trail is itself recorded; and the client address in the trail and the login throttle
// is the TCP peer, unless that peer is a configured trusted proxy. The server serves on
// after every attack.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

class AuditTrailTest : public ServerTest {
 protected:
  int Count(const std::string& where) {
    return std::stoi(db_.Scalar("SELECT count(*) FROM audit_event WHERE " + where));
  }
  // Reads are written by a batched writer a moment later; wait until `n` rows match.
  void WaitForRows(const std::string& where, int n) {
    for (int i = 0; i < 100 && Count(where) < n; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_GE(Count(where), n) << where;
  }
  HttpResponse Post(const std::string& path, const std::string& token,
                    const std::string& body = "") {
    return Http("POST", server_->http_port, path, body, token);
  }
  HttpResponse Get(const std::string& path, const std::string& token) {
    return Http("GET", server_->http_port, path, "", token);
  }
  HttpResponse LoginAs(const std::string& username, const std::string& password,
                       const std::string& forwarded_for = "") {
    std::vector<std::string> headers;
    if (!forwarded_for.empty()) headers.push_back("X-Forwarded-For: " + forwarded_for);
    return Http("POST", server_->http_port, "/api/v1/auth/login",
                R"({"username":")" + username + R"(","password":")" + password + R"("})", "",
                headers);
  }
  // Demo accounts are refused whenever a forwarding header is present (their password is
  // published); the forwarding tests sign in as staff accounts, so the seeded ones are
  // made ordinary accounts first.
  void MakeDemoAccountsOrdinary() {
    db_.Scalar(
        "WITH changed AS (UPDATE app_user SET demo = false RETURNING 1) "
        "SELECT count(*) FROM changed");
  }
  // The server still answers: readiness and a signed-in read.
  void ExpectServing() {
    EXPECT_EQ(Get("/readyz", "").status, 200);
    const std::string admin = Login(server_->http_port, "admin");
    EXPECT_EQ(Get("/api/v1/worklist", admin).status, 200);
  }
  std::string StudyStatus(const std::string& uid, const std::string& token) {
    HttpResponse study = Get("/api/v1/studies/" + uid, token);
    EXPECT_EQ(study.status, 200) << study.body;
    return study.json.value("status", "");
  }
};

// The claim's row is there as soon as the claim is answered (no batched writer on the
// way), exactly once, and a refused claim is recorded with its outcome.
TEST_F(AuditTrailTest, AChangeCommitsWithItsAuditRow) {
  const std::string uid = ReadyStudies(1, 9101)[0];
  AddUser("rad2", "radiologist");
  const std::string rad1 = Login(server_->http_port, "rad1");
  const std::string rad2 = Login(server_->http_port, "rad2");
  ASSERT_EQ(Post("/api/v1/studies/" + uid + "/claim", rad1).status, 200);
  EXPECT_EQ(Count("action = 'study.claim' AND outcome = 'success' AND username = 'rad1'"
                  " AND object_id = '" +
                  uid + "'"),
            1);
  EXPECT_EQ(Post("/api/v1/studies/" + uid + "/claim", rad2).status, 409);
  EXPECT_EQ(Count("action = 'study.claim' AND outcome = 'conflict' AND username = 'rad2'"), 1);
  // A successful login's row names the account it opened.
  EXPECT_EQ(Count("action = 'auth.login' AND outcome = 'success' AND username = 'rad1'"
                  " AND user_id IS NOT NULL AND role = 'radiologist'"),
            1);
  ExpectServing();
}

// The attack on the trail itself: the audit insert fails (here a trigger the database
// owner adds; in life a full disk or a broken constraint). The claim must not happen
// unrecorded: the client gets an error, the study stays ready, and other work goes on.
TEST_F(AuditTrailTest, ARefusedAuditInsertUndoesTheChange) {
  const std::string uid = ReadyStudies(1, 9102)[0];
  const std::string rad1 = Login(server_->http_port, "rad1");
  const std::string admin = Login(server_->http_port, "admin");
  db_.Scalar(
      "CREATE FUNCTION refuse_claim_audit() RETURNS trigger LANGUAGE plpgsql AS"
      " $$BEGIN IF NEW.action IN ('study.claim', 'user.create') THEN"
      " RAISE EXCEPTION 'audit refused by the test'; END IF; RETURN NEW; END$$;"
      " CREATE TRIGGER refuse_claim_audit BEFORE INSERT ON audit_event"
      " FOR EACH ROW EXECUTE FUNCTION refuse_claim_audit()");
  HttpResponse claim = Post("/api/v1/studies/" + uid + "/claim", rad1);
  EXPECT_GE(claim.status, 500) << claim.body;
  EXPECT_TRUE(claim.json.contains("error")) << claim.body;
  EXPECT_EQ(StudyStatus(uid, rad1), "ready");
  EXPECT_EQ(Count("action = 'study.claim'"), 0);
  // Another repository's write, the same rule: no account without its row.
  HttpResponse created = Post("/api/v1/users", admin,
                              R"({"username":"ghost","role":"radiologist",)"
                              R"("password":"a long enough password"})");
  EXPECT_GE(created.status, 500) << created.body;
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM app_user WHERE username = 'ghost'"), "0");
  // Other changes still commit with their rows.
  ASSERT_EQ(Post("/api/v1/auth/logout", rad1).status, 200);
  EXPECT_EQ(Count("action = 'auth.logout' AND outcome = 'success' AND username = 'rad1'"), 1);
  // With the trail writable again the claim goes through, recorded.
  db_.Scalar("DROP TRIGGER refuse_claim_audit ON audit_event");
  const std::string again = Login(server_->http_port, "rad1");
  EXPECT_EQ(Post("/api/v1/studies/" + uid + "/claim", again).status, 200);
  EXPECT_EQ(Count("action = 'study.claim' AND outcome = 'success'"), 1);
  ExpectServing();
}

// A worklist page's row names every study it showed; an inbox page likewise.
TEST_F(AuditTrailTest, ListReadsRecordTheStudiesTheyReturned) {
  std::vector<std::string> uids = ReadyStudies(3, 9103);
  const std::string rad1 = Login(server_->http_port, "rad1");
  HttpResponse page = Get("/api/v1/worklist?limit=2", rad1);
  ASSERT_EQ(page.status, 200) << page.body;
  std::vector<std::string> shown;
  for (const auto& s : page.json["items"]) shown.push_back(s["study_uid"].get<std::string>());
  ASSERT_EQ(shown.size(), 2u);
  WaitForRows("action = 'worklist.view' AND username = 'rad1'", 1);
  const std::string admin = Login(server_->http_port, "admin");
  HttpResponse trail = Get("/api/v1/audit?action=worklist.view&username=rad1", admin);
  ASSERT_EQ(trail.status, 200) << trail.body;
  ASSERT_EQ(trail.json["items"].size(), 1u);
  EXPECT_EQ(trail.json["items"][0]["returned_ids"].get<std::vector<std::string>>(), shown);

  const std::string fac1 = Login(server_->http_port, "fac1");
  ASSERT_EQ(Get("/api/v1/worklist", fac1).status, 200);
  WaitForRows("action = 'worklist.view' AND username = 'fac1'", 1);
  const std::string ids = db_.Scalar(
      "SELECT array_to_string(returned_ids, ',') FROM audit_event"
      " WHERE action = 'worklist.view' AND username = 'fac1'");
  std::set<std::string> recorded;
  for (size_t from = 0; from <= ids.size();) {
    const size_t comma = std::min(ids.find(',', from), ids.size());
    recorded.insert(ids.substr(from, comma - from));
    from = comma + 1;
  }
  EXPECT_EQ(recorded, std::set<std::string>(uids.begin(), uids.end()));
}

// An e-examination booking's row names the new id, committed with it; the list read
// names the e-examinations it showed.
TEST_F(AuditTrailTest, EExaminationBookingAndListAreRecorded) {
  const std::string fac1 = Login(server_->http_port, "fac1");
  std::vector<std::string> booked;
  for (const char* patient : {"MN-1", "MN-2"}) {
    const nlohmann::json booking = {
        {"patient", {{"id", patient}, {"name", "Test^Patient"}, {"sex", "F"}}},
        {"specialty", "Cardiology"},
        {"reason", "chest pain"},
        {"requested_at", "2025-05-20T10:00:00+08:00"}};
    HttpResponse r = Post("/api/v1/consultations", fac1, booking.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    booked.push_back(std::to_string(r.json["id"].get<int64_t>()));
    EXPECT_EQ(Count("action = 'consultation.create' AND outcome = 'success'"
                    " AND object_id = '" +
                    booked.back() + "'"),
              1);
  }
  ASSERT_EQ(Get("/api/v1/consultations", fac1).status, 200);
  WaitForRows("action = 'consultation.list'", 1);
  // Newest booking first, as the list showed them.
  EXPECT_EQ(db_.Scalar("SELECT array_to_string(returned_ids, ',') FROM audit_event"
                       " WHERE action = 'consultation.list'"),
            booked[1] + "," + booked[0]);
}

// Reading the trail leaves a row of its own, at once: who, which filters, how many
// entries came back; a refused read too.
// The DICOM port in the trail: a delivery names its sender, facility, address and studies
// (never the patient), and an unknown AE title turned away is recorded too.
TEST_F(AuditTrailTest, DicomDeliveriesAndRefusalsAreRecorded) {
  const std::vector<std::string> studies =
      Generate(data_ + "/ct", "--rows 16 --cols 16 --instances 3 --patient-name 'SECRET^PERSON'");
  ASSERT_EQ(studies.size(), 1u);
  StoreOutcome sent = StoreScu(server_->dicom_port, FilesIn(data_ + "/ct"));
  ASSERT_EQ(sent.stored.size(), 3u) << sent.output;
  StoreOutcome again = StoreScu(server_->dicom_port, FilesIn(data_ + "/ct"));
  ASSERT_EQ(again.stored.size(), 3u) << again.output;  // duplicates: Success, nothing changed
  const std::string delivered =
      "action = 'dicom.store' AND username = 'DEMO_SCU' AND role = 'facility' AND "
      "object_type = 'facility' AND object_id <> '' AND remote_addr = '127.0.0.1' AND "
      "outcome = 'success' AND returned_ids = ARRAY['" +
      studies[0] + "']";
  WaitForRows(delivered, 2);
  EXPECT_EQ(Count(delivered + " AND detail LIKE 'studies=1 stored=3 duplicates=0 failed=0 %'"), 1);
  EXPECT_EQ(Count(delivered + " AND detail LIKE 'studies=1 stored=0 duplicates=3 failed=0 %'"), 1);

  StoreOutcome stranger = StoreScu(server_->dicom_port, FilesIn(data_ + "/ct"), "NOBODY");
  EXPECT_TRUE(stranger.stored.empty()) << stranger.output;
  WaitForRows(
      "action = 'dicom.association' AND username = 'NOBODY' AND outcome <> 'success' AND "
      "remote_addr = '127.0.0.1'",
      1);
  EXPECT_EQ(Count("detail LIKE '%SECRET%' OR object_id LIKE '%SECRET%'"), 0);
  EXPECT_TRUE(EchoScu(server_->dicom_port, "DEMO_SCU"));  // an echo stores nothing: no entry
  EXPECT_EQ(Count("action = 'dicom.store'"), 2);
  ExpectServing();
}

TEST_F(AuditTrailTest, ReadingTheTrailIsItselfRecorded) {
  const std::string admin = Login(server_->http_port, "admin");
  HttpResponse read = Get("/api/v1/audit?action=auth.login&limit=7", admin);
  ASSERT_EQ(read.status, 200) << read.body;
  const size_t returned = read.json["items"].size();
  ASSERT_EQ(Count("action = 'audit.view' AND username = 'admin' AND outcome = 'success'"), 1);
  const auto detail = nlohmann::json::parse(
      db_.Scalar("SELECT detail FROM audit_event WHERE action = 'audit.view'"));
  EXPECT_EQ(detail["filters"]["action"], "auth.login");
  EXPECT_EQ(detail["filters"]["limit"], 7);
  EXPECT_EQ(detail["count"], returned);
  // The row shows in the trail itself, detail included.
  HttpResponse own = Get("/api/v1/audit?action=audit.view", admin);
  ASSERT_EQ(own.status, 200);
  ASSERT_GE(own.json["items"].size(), 1u);
  EXPECT_FALSE(own.json["items"].back()["detail"].get<std::string>().empty());

  const std::string rad1 = Login(server_->http_port, "rad1");
  EXPECT_EQ(Get("/api/v1/audit", rad1).status, 403);
  EXPECT_EQ(Count("action = 'audit.view' AND username = 'rad1' AND outcome = 'denied'"), 1);
}

class UntrustedForwardedForTest : public AuditTrailTest {
 protected:
  UntrustedForwardedForTest() { options_.env["TELERAD_LOGIN_ADDRESS_MAX_FAILURES"] = "5"; }
};

// No proxy is configured, so X-Forwarded-For is the client's own word: the trail shows
// the real peer, and a guesser rotating the header is still throttled as one address.
TEST_F(UntrustedForwardedForTest, SpoofedForwardedForIsIgnored) {
  MakeDemoAccountsOrdinary();
  ASSERT_EQ(LoginAs("rad1", "telerad-demo", "203.0.113.9").status, 200);
  EXPECT_EQ(Count("action = 'auth.login' AND outcome = 'success' AND remote_addr = '127.0.0.1'"),
            1);
  EXPECT_EQ(Count("remote_addr = '203.0.113.9'"), 0);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(
        LoginAs("guess" + std::to_string(i), "wrong", "198.51.100." + std::to_string(i)).status,
        401);
  // A fresh forged address and the right password: still refused, the peer is throttled.
  EXPECT_EQ(LoginAs("rad1", "telerad-demo", "198.51.100.200").status, 429);
  EXPECT_EQ(Count("remote_addr LIKE '198.51.100.%'"), 0);
  EXPECT_EQ(Get("/readyz", "").status, 200);
}

class TrustedProxyTest : public AuditTrailTest {
 protected:
  TrustedProxyTest() {
    options_.env["TELERAD_HTTP_TRUSTED_PROXIES"] = "127.0.0.1, 10.0.0.0/8";
    options_.env["TELERAD_LOGIN_ADDRESS_MAX_FAILURES"] = "5";
  }
};

// The test client stands in for a reverse proxy on 127.0.0.1: the forwarded client
// address is recorded and throttled, and a header the proxy mangled is not believed.
TEST_F(TrustedProxyTest, TheForwardedAddressIsUsed) {
  MakeDemoAccountsOrdinary();
  // The client lied ("192.0.2.66"), the proxy appended what it saw, and a second trusted
  // hop (10.1.1.1) passed it on: the client is 203.0.113.9.
  ASSERT_EQ(LoginAs("rad1", "telerad-demo", "192.0.2.66, 203.0.113.9, 10.1.1.1").status, 200);
  EXPECT_EQ(Count("action = 'auth.login' AND remote_addr = '203.0.113.9'"), 1)
      << db_.Scalar("SELECT string_agg(remote_addr, ' ') FROM audit_event");
  EXPECT_EQ(Count("remote_addr = '192.0.2.66'"), 0);
  // Throttled per forwarded address: 203.0.113.10 fails itself out, 203.0.113.11 is fine.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(LoginAs("rad1", "wrong", "203.0.113.10").status, 401);
  EXPECT_EQ(LoginAs("spec1", "telerad-demo", "203.0.113.10").status, 429);
  EXPECT_EQ(LoginAs("spec1", "telerad-demo", "203.0.113.11").status, 200);
  // A malformed header from the proxy: the peer, not any part of it.
  ASSERT_EQ(LoginAs("fac1", "telerad-demo", "203.0.113.12:443").status, 200);
  EXPECT_EQ(Count("action = 'auth.login' AND username = 'fac1' AND remote_addr = '127.0.0.1'"), 1);
  ExpectServing();
}

}  // namespace
}  // namespace telerad::testing
