// STOW-RS over real HTTP against the real server (README, "DICOMweb: storing over
// HTTPS"): facility users, machine tokens and admins store generated files; what is
// stored is in the index and on disk exactly as a C-STORE would leave it; failures come
// back per instance in the PS3.18 answer; the door's refusals (401, 403, 413, 415).
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/integration/harness.h"
#include "tests/integration/settled.h"

namespace telerad::testing {
namespace {

constexpr int kMaxStowBytes = 2 << 20;   // small, so the 413 case costs little
constexpr int kMaxRequestBytes = 65536;  // every other route's

// A multipart/related body of application/dicom parts (PS3.18 10.5.1).
std::string MultipartBody(const std::vector<std::string>& parts, const std::string& boundary) {
  std::string body;
  for (const auto& p : parts)
    body += "--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n" + p + "\r\n";
  return body + "--" + boundary + "--\r\n";
}

class StowTest : public ServerTest {
 protected:
  StowTest() {
    options_.env["TELERAD_DICOMWEB_MAX_STOW_BYTES"] = std::to_string(kMaxStowBytes);
    options_.env["TELERAD_HTTP_MAX_REQUEST_BYTES"] = std::to_string(kMaxRequestBytes);
    options_.env["TELERAD_DICOMWEB_STOW_CONCURRENCY"] = "1";
  }

  // Sends `head` (request line, headers, maybe some body) on a new connection and
  // returns what the server answers within `seconds` with nothing more sent; with
  // `fd_out`, leaves the connection open to the caller instead (a body still arriving).
  std::string SendHead(const std::string& head, int* fd_out = nullptr, int seconds = 5) {
    const int fd = ConnectToLoopback(server_->http_port);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(head.size()));
    if (fd_out) {
      *fd_out = fd;
      return "";
    }
    std::string answer;
    pollfd p{fd, POLLIN, 0};
    char buf[4096];
    while (::poll(&p, 1, seconds * 1000) > 0) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      answer.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return answer;
  }

  static std::string StowHead(const std::string& token, size_t content_length) {
    return "POST /dicomweb/studies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
           "\r\nContent-Type: multipart/related; type=\"application/dicom\"; boundary=b"
           "\r\nContent-Length: " +
           std::to_string(content_length) + "\r\n\r\n--b\r\n";
  }

  // POSTs `body` to `path` with `content_type` (curl reads it from a file: binary safe).
  HttpResponse Post(const std::string& path, const std::string& body, const std::string& token,
                    const std::string& content_type =
                        "multipart/related; type=\"application/dicom\"; boundary=stow-test") {
    const std::string file = data_ + "/body-" + std::to_string(++posts_);
    std::ofstream(file, std::ios::binary) << body;
    std::string cmd = "curl -s -m 60 -o - -w '\\n%{http_code}' -X POST -H " +
                      Quote("Content-Type: " + content_type) + " --data-binary @" + Quote(file);
    if (!token.empty()) cmd += " -H " + Quote("Authorization: Bearer " + token);
    cmd += " " + Quote("http://127.0.0.1:" + std::to_string(server_->http_port) + path);
    CommandResult r = RunCommand(cmd);
    HttpResponse response;
    const auto nl = r.output.rfind('\n');
    if (nl == std::string::npos) return response;
    response.status = std::atoi(r.output.c_str() + nl + 1);
    response.body = r.output.substr(0, nl);
    response.json = nlohmann::json::parse(response.body, nullptr, false);
    return response;
  }

  // Generated files of one study; their contents.
  std::vector<std::string> Study(int seed, int instances, std::string* study_uid = nullptr) {
    const std::string dir = data_ + "/gen-" + std::to_string(seed);
    auto uids = Generate(dir, "--studies 1 --instances " + std::to_string(instances) +
                                  " --rows 16 --cols 16 --seed " + std::to_string(seed));
    if (study_uid && !uids.empty()) *study_uid = uids[0];
    std::vector<std::string> files;
    for (const auto& f : FilesIn(dir)) files.push_back(ReadFile(f));
    return files;
  }

  std::string CreateToken(const std::string& admin, const std::string& name) {
    HttpResponse r = Http("POST", server_->http_port, "/api/v1/facilities/DEMO/machine-tokens",
                          nlohmann::json{{"name", name}}.dump(), admin);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.value("token", "");
  }

  static std::vector<int> FailureReasons(const HttpResponse& r) {
    std::vector<int> reasons;
    if (!r.json.contains("00081198")) return reasons;
    for (const auto& item : r.json["00081198"]["Value"])
      reasons.push_back(item["00081197"]["Value"][0].get<int>());
    return reasons;
  }

  int posts_ = 0;
};

TEST_F(StowTest, FacilityUserStoresAStudyDurablyAndARepeatChangesNothing) {
  std::string study_uid;
  const auto files = Study(1301, 3, &study_uid);
  const std::string token = Login(server_->http_port, "fac1");
  HttpResponse r = Post("/dicomweb/studies", MultipartBody(files, "stow-test"), token);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_TRUE(r.json.contains("00081199")) << r.body;
  EXPECT_EQ(r.json["00081199"]["Value"].size(), 3u);
  EXPECT_FALSE(r.json.contains("00081198"));
  EXPECT_EQ(r.json["00081190"]["Value"][0], "/dicomweb/studies/" + study_uid);
  const auto& item = r.json["00081199"]["Value"][0];
  EXPECT_EQ(item["00081150"]["Value"][0], "1.2.840.10008.5.1.4.1.1.2");  // CT Image Storage
  const std::string sop = item["00081155"]["Value"][0];
  EXPECT_NE(item["00081190"]["Value"][0].get<std::string>().find("/instances/" + sop),
            std::string::npos);

  // In the index, for DEMO, and on disk byte for byte as sent.
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance i JOIN series se ON se.id = i.series_id JOIN "
                       "study s ON s.id = se.study_id"
                       " JOIN facility f ON f.id = s.facility_id WHERE s.study_uid = '" +
                       study_uid + "' AND f.code = 'DEMO'"),
            "3");
  WaitUntilSettled(server_->storage);
  auto stored = StoredFiles(server_->storage);
  ASSERT_EQ(stored.size(), 3u);
  std::multiset<std::string> sent(files.begin(), files.end());
  for (const auto& f : stored) EXPECT_EQ(sent.count(ReadFile(f)), 1u) << f;
  EXPECT_TRUE(PartialStagingFiles(server_->storage).empty());

  // One entry in the trail for the request: facility, studies, counts.
  EXPECT_EQ(db_.Scalar("SELECT object_id || ' ' || username || ' ' || outcome || ' ' ||"
                       " array_to_string(returned_ids, ',') FROM audit_event"
                       " WHERE action = 'dicomweb.store'"),
            "DEMO fac1 success " + study_uid);
  EXPECT_NE(db_.Scalar("SELECT detail FROM audit_event WHERE action = 'dicomweb.store'")
                .find("stored=3 duplicates=0 failed=0"),
            std::string::npos);

  // Again: success, nothing duplicated.
  HttpResponse again =
      Post("/dicomweb/studies/" + study_uid, MultipartBody(files, "stow-test"), token);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json["00081199"]["Value"].size(), 3u);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "3");
  EXPECT_EQ(StoredFiles(server_->storage).size(), 3u);
}

TEST_F(StowTest, FailuresAreReportedPerInstance) {
  std::string study_uid;
  const auto files = Study(1302, 1, &study_uid);
  const std::string token = Login(server_->http_port, "fac1");
  const std::string other_study = "1.2.826.0.1.3680043.10.1.999";
  // The URL names another study: 409, nothing stored, reason 0xA900.
  HttpResponse mismatch =
      Post("/dicomweb/studies/" + other_study, MultipartBody(files, "stow-test"), token);
  EXPECT_EQ(mismatch.status, 409) << mismatch.body;
  EXPECT_EQ(FailureReasons(mismatch), std::vector<int>{0xA900});
  EXPECT_FALSE(
      mismatch.json["00081198"]["Value"][0]["00081155"]["Value"][0].get<std::string>().empty());
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "0");

  // A garbage part beside a good one: 202, the good one stored, the other 0xC000.
  HttpResponse some =
      Post("/dicomweb/studies", MultipartBody({"not a DICOM file at all", files[0]}, "stow-test"),
           token);
  EXPECT_EQ(some.status, 202) << some.body;
  EXPECT_EQ(FailureReasons(some), std::vector<int>{0xC000});
  EXPECT_EQ(some.json["00081199"]["Value"].size(), 1u);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "1");
  EXPECT_EQ(StoredFiles(server_->storage).size(), 1u);
  EXPECT_TRUE(PartialStagingFiles(server_->storage).empty());
  EXPECT_EQ(db_.Scalar("SELECT outcome FROM audit_event WHERE action = 'dicomweb.store'"
                       " ORDER BY id DESC LIMIT 1"),
            "invalid");

  // A truncated file fails the same way C-STORE refuses it.
  const std::string truncated = files[0].substr(0, files[0].size() / 2);
  HttpResponse cut = Post("/dicomweb/studies", MultipartBody({truncated}, "stow-test"), token);
  EXPECT_EQ(cut.status, 409) << cut.body;
  EXPECT_EQ(FailureReasons(cut), std::vector<int>{0xC000});
}

TEST_F(StowTest, TheDoorRefusesWhatIsNotAStowRequest) {
  const auto files = Study(1303, 1);
  const std::string body = MultipartBody(files, "stow-test");
  const std::string fac = Login(server_->http_port, "fac1");
  HttpResponse json = Post("/dicomweb/studies", "{}", fac, "application/json");
  EXPECT_EQ(json.status, 415) << json.body;
  EXPECT_EQ(json.json["error"]["code"], "unsupported_media_type");
  HttpResponse octet =
      Post("/dicomweb/studies", body, fac,
           "multipart/related; type=\"application/octet-stream\"; boundary=stow-test");
  EXPECT_EQ(octet.status, 415) << octet.body;
  // Both refusals are in the trail as what they were, not as successes.
  EXPECT_EQ(db_.Scalar("SELECT string_agg(outcome, ',' ORDER BY id) FROM audit_event"
                       " WHERE action = 'dicomweb.store'"),
            "invalid,invalid");
  // Unquoted parameters are the same request.
  HttpResponse bare = Post("/dicomweb/studies", body, fac,
                           "multipart/related; type=application/dicom; boundary=stow-test");
  EXPECT_EQ(bare.status, 200) << bare.body;
  HttpResponse broken = Post("/dicomweb/studies", "--stow-test\r\nno end", fac);
  EXPECT_EQ(broken.status, 400) << broken.body;

  EXPECT_EQ(Post("/dicomweb/studies", body, "").status, 401);
  for (const char* user : {"rad1", "ministry1", "spec1"}) {
    HttpResponse r = Post("/dicomweb/studies", body, Login(server_->http_port, user));
    EXPECT_EQ(r.status, 403) << user << " " << r.body;
  }
  // An admin stores for a facility it names, and only then.
  const std::string admin = Login(server_->http_port, "admin");
  EXPECT_EQ(Post("/dicomweb/studies", body, admin).status, 400);
  EXPECT_EQ(Post("/dicomweb/studies?facility=NOPE", body, admin).status, 404);
  EXPECT_EQ(Post("/dicomweb/studies?facility=DEMO", body, admin).status, 200);
  // A facility user cannot store for another facility.
  EXPECT_EQ(Post("/dicomweb/studies?facility=OTHER", body, fac).status, 403);

  // Over dicomweb_max_stow_bytes: the API's JSON 413, nothing stored.
  const std::string big = MultipartBody({std::string(kMaxStowBytes, 'x')}, "stow-test");
  HttpResponse large = Post("/dicomweb/studies", big, fac);
  EXPECT_EQ(large.status, 413) << large.body.substr(0, 200);
  EXPECT_EQ(large.json["error"]["code"], "payload_too_large");
  // Every other route keeps http_max_request_bytes.
  HttpResponse login =
      Post("/api/v1/auth/login", std::string(kMaxRequestBytes + 1, ' '), "", "application/json");
  EXPECT_EQ(login.status, 413);
  EXPECT_EQ(login.json["error"]["code"], "payload_too_large");
}

TEST_F(StowTest, BodiesAreRefusedBeforeTheyAreBufferedAndLargeOnesAreCounted) {
  const std::string fac = Login(server_->http_port, "fac1");
  // A declared length over the limit is answered as soon as the headers are in.
  std::string answer = SendHead(StowHead(fac, kMaxStowBytes + 1));
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  EXPECT_NE(answer.find(R"("code":"payload_too_large")"), std::string::npos) << answer;
  // Without credentials a STOW-RS body keeps the small limit of every other route.
  std::string anonymous = StowHead(fac, kMaxRequestBytes + 1);
  anonymous.replace(anonymous.find("Authorization: Bearer " + fac + "\r\n"),
                    std::string("Authorization: Bearer " + fac + "\r\n").size(), "");
  answer = SendHead(anonymous);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  // Any other route: its own small limit, also before the body.
  answer = SendHead(
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(kMaxRequestBytes + 1) + "\r\n\r\n{");
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;

  // One large body at a time (dicomweb_stow_concurrency = 1): while one is arriving,
  // the next is told to retry; once it is gone, the next goes through.
  int slow = -1;
  SendHead(StowHead(fac, kMaxRequestBytes * 2) + std::string(kMaxRequestBytes + 10, 'x'), &slow);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  answer = SendHead(StowHead(fac, kMaxRequestBytes * 2));
  EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
  EXPECT_NE(answer.find("Retry-After: 1"), std::string::npos) << answer;
  // A small STOW-RS request needs no slot.
  const auto files = Study(1305, 1);
  EXPECT_EQ(Post("/dicomweb/studies", MultipartBody(files, "stow-test"), fac).status, 200);
  ::close(slow);  // the client gives up: its slot goes with its connection
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const std::string padded = files[0] + std::string(kMaxRequestBytes, '\0');
  HttpResponse large = Post("/dicomweb/studies", MultipartBody({padded}, "stow-test"), fac);
  EXPECT_NE(large.status, 503) << large.body;
  EXPECT_NE(large.status, 413) << large.body;
  EXPECT_NE(large.status, 0);
}

TEST_F(StowTest, MachineTokensStoreOnlyAndRevocationIsImmediate) {
  std::string study_uid;
  const auto files = Study(1304, 2, &study_uid);
  const std::string admin = Login(server_->http_port, "admin");
  const std::string token = CreateToken(admin, "orthanc-gateway");
  ASSERT_EQ(token.rfind("tlm_", 0), 0u) << token;
  // Stored as a digest only: the secret appears nowhere in the database.
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM facility_machine_token WHERE"
                       " position(convert_to('" +
                       token + "', 'UTF8') in token_hash) > 0"),
            "0");
  // A second live token of the same name is a conflict.
  EXPECT_EQ(Http("POST", server_->http_port, "/api/v1/facilities/DEMO/machine-tokens",
                 R"({"name":"orthanc-gateway"})", admin)
                .status,
            409);

  HttpResponse stored = Post("/dicomweb/studies", MultipartBody(files, "stow-test"), token);
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance i JOIN series se ON se.id = i.series_id JOIN "
                       "study s ON s.id = se.study_id"
                       " WHERE s.study_uid = '" +
                       study_uid + "'"),
            "2");
  EXPECT_EQ(db_.Scalar("SELECT username || ' ' || role || ' ' || coalesce(user_id::text, 'null')"
                       " FROM audit_event WHERE action = 'dicomweb.store'"),
            "machine:DEMO/orthanc-gateway facility null");

  // Nothing but STOW-RS.
  for (const std::string& path : std::vector<std::string>{
           "/api/v1/worklist", "/api/v1/studies/" + study_uid, "/api/v1/consultations"}) {
    HttpResponse r = Http("GET", server_->http_port, path, "", token);
    EXPECT_EQ(r.status, 403) << path << " " << r.body;
  }
  EXPECT_EQ(Http("POST", server_->http_port, "/api/v1/auth/logout", "", token).status, 403);

  // The list never shows the secret, and says when it was used.
  HttpResponse list =
      Http("GET", server_->http_port, "/api/v1/facilities/DEMO/machine-tokens", "", admin);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.body.find(token.substr(4)), std::string::npos);
  ASSERT_EQ(list.json["items"].size(), 1u);
  EXPECT_EQ(list.json["items"][0]["name"], "orthanc-gateway");
  EXPECT_FALSE(list.json["items"][0]["last_used_at"].is_null());
  EXPECT_EQ(list.json["items"][0]["revoked"], false);
  const std::string id = std::to_string(list.json["items"][0]["id"].get<int64_t>());

  // The facility's networks apply to its token's client address.
  ASSERT_EQ(Http("PATCH", server_->http_port, "/api/v1/facilities/DEMO",
                 R"({"allowed_networks":["10.20.0.0/16"]})", admin)
                .status,
            200);
  EXPECT_EQ(Post("/dicomweb/studies", MultipartBody(files, "stow-test"), token).status, 403);
  ASSERT_EQ(Http("PATCH", server_->http_port, "/api/v1/facilities/DEMO",
                 R"({"allowed_networks":["127.0.0.0/8"]})", admin)
                .status,
            200);
  EXPECT_EQ(Post("/dicomweb/studies", MultipartBody(files, "stow-test"), token).status, 200);

  // Revoked: refused at once, audited.
  HttpResponse revoked =
      Http("DELETE", server_->http_port, "/api/v1/facilities/DEMO/machine-tokens/" + id, "", admin);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(revoked.json["revoked"], true);
  EXPECT_EQ(Post("/dicomweb/studies", MultipartBody(files, "stow-test"), token).status, 401);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(action || ':' || outcome, ',' ORDER BY id) FROM"
                       " audit_event WHERE action LIKE 'machine_token.%'"),
            "machine_token.create:success,machine_token.create:conflict,"
            "machine_token.revoke:success");
  EXPECT_EQ(
      Http("DELETE", server_->http_port, "/api/v1/facilities/DEMO/machine-tokens/99999", "", admin)
          .status,
      404);
  // A facility user may not manage tokens.
  EXPECT_EQ(Http("GET", server_->http_port, "/api/v1/facilities/DEMO/machine-tokens", "",
                 Login(server_->http_port, "fac1"))
                .status,
            403);
}

}  // namespace
}  // namespace telerad::testing
