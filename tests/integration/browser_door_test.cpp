// What a browser meets at the HTTP door, on the real binary: the viewer's files at the
// origin's root (types, caching, ETag, precompressed siblings, the app's own routes,
// paths that try to leave the folder, /api and /dicomweb never shadowed), the generated
// /app-config.js, gzip of JSON answers, and session cookies with their CSRF header.
#include <zlib.h>

#include <fstream>

#include "tests/integration/harness.h"
#include "tests/integration/raw_http.h"

namespace telerad::testing {
namespace {

constexpr const char* kBundle = "app.bundle.0f6159c501addfe9.js";
constexpr const char* kWasm = "0ddf166f7a343eda.wasm";

std::string Gunzip(const std::string& data) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return {};
  std::string out(8 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = inflate(&stream, Z_FINISH);
  out.resize(result == Z_STREAM_END ? stream.total_out : 0);
  inflateEnd(&stream);
  return out;
}

std::string Request(const std::string& method, const std::string& target,
                    const std::string& headers = "", const std::string& body = "") {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                        "Connection: close\r\n" + headers;
  if (!body.empty())
    request +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  return request + "\r\n" + body;
}

// A small stand-in for OHIF's dist/: an index, a hashed bundle with its gzip sibling, a
// WASM codec, an asset, and a symbolic link leading out of the folder.
std::string ViewerFolder(std::string* bundle) {
  const std::string dir = MakeTempDir("telerad-viewer");
  std::ofstream(dir + "/index.html") << "<!doctype html><title>OHIF stand-in</title>";
  for (int i = 0; i < 2000; ++i)
    *bundle += "console.log('telerad viewer line " + std::to_string(i) + "');\n";
  std::ofstream(dir + "/" + kBundle) << *bundle;
  RunCommand("gzip -k " + Quote(dir + "/" + kBundle));
  std::ofstream(dir + "/" + kWasm) << std::string("\0asm\1\0\0\0", 8);
  RunCommand("mkdir -p " + Quote(dir + "/assets") + " && echo '<svg/>' > " +
             Quote(dir + "/assets/logo.svg") + " && ln -s /etc/passwd " +
             Quote(dir + "/secret.txt"));
  return dir;
}

class BrowserDoorTest : public ServerTest {
 protected:
  BrowserDoorTest() {
    folder_ = ViewerFolder(&bundle_);
    options_.env["TELERAD_VIEWER_DIR"] = folder_;
  }
  ~BrowserDoorTest() override { RunCommand("rm -rf " + Quote(folder_)); }

  ParsedResponse Get(const std::string& target, const std::string& headers = "") {
    return RawExchange(server_->http_port, Request("GET", target, headers));
  }

  std::string folder_;
  std::string bundle_;
};

TEST_F(BrowserDoorTest, TheViewerIsServedAtTheRootWithItsTypesAndCaching) {
  ParsedResponse index = Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>OHIF stand-in</title>");
  EXPECT_EQ(index.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(index.headers["cache-control"], "no-cache");
  EXPECT_FALSE(index.headers["etag"].empty());

  // The app's own routes are index.html; a missing file is not.
  EXPECT_EQ(Get("/viewer?StudyInstanceUIDs=1.2.3").body, index.body);
  EXPECT_EQ(Get("/notfoundstudy").body, index.body);
  EXPECT_EQ(Get("/missing.bundle.0123456789abcdef.js").status, 404);

  ParsedResponse bundle = Get(std::string("/") + kBundle);
  EXPECT_EQ(bundle.status, 200);
  EXPECT_EQ(bundle.body, bundle_);
  EXPECT_EQ(bundle.headers["content-type"], "application/javascript; charset=utf-8");
  EXPECT_EQ(bundle.headers["cache-control"], "public, max-age=31536000, immutable");
  EXPECT_EQ(bundle.headers["vary"], "Accept-Encoding");
  EXPECT_EQ(bundle.headers.count("content-encoding"), 0u);

  ParsedResponse gzipped = Get(std::string("/") + kBundle, "Accept-Encoding: gzip, br\r\n");
  EXPECT_EQ(gzipped.headers["content-encoding"], "gzip");
  EXPECT_LT(gzipped.body.size(), bundle_.size() / 4);
  EXPECT_EQ(Gunzip(gzipped.body), bundle_);
  EXPECT_NE(gzipped.headers["etag"], bundle.headers["etag"]);

  ParsedResponse wasm = Get(std::string("/") + kWasm);
  EXPECT_EQ(wasm.headers["content-type"], "application/wasm");
  EXPECT_EQ(wasm.body.size(), 8u);
  EXPECT_EQ(Get("/assets/logo.svg").headers["content-type"], "image/svg+xml");

  ParsedResponse head =
      RawExchange(server_->http_port, Request("HEAD", std::string("/") + kBundle), true);
  EXPECT_EQ(head.headers["content-length"], std::to_string(bundle_.size()));
  EXPECT_TRUE(head.body.empty());
}

TEST_F(BrowserDoorTest, IfNoneMatchGets304) {
  const std::string etag = Get(std::string("/") + kBundle).headers["etag"];
  ASSERT_FALSE(etag.empty());
  const int fd = RawConnect(server_->http_port);
  ASSERT_TRUE(
      RawSend(fd, Request("GET", std::string("/") + kBundle, "If-None-Match: " + etag + "\r\n")));
  std::string in = RawReadAll(fd);
  ::close(fd);
  ParsedResponse r = TakeResponse(in, true);
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(r.headers["etag"], etag);
  EXPECT_TRUE(in.empty()) << "a 304 carries no body";
  EXPECT_EQ(Get(std::string("/") + kBundle, "If-None-Match: \"other\"\r\n").status, 200);
}

TEST_F(BrowserDoorTest, PathsLeavingTheFolderOrShadowingTheApiAreRefused) {
  for (const char* target :
       {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2f..%2fetc/passwd",
        "/secret.txt", "/a%00.js", "/assets%5c..%5c..%5cetc%5cpasswd"}) {
    ParsedResponse r = Get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
  }
  for (const char* target :
       {"/api/v1/nothing", "//api/v1/nothing", "/%61pi/v1/nothing", "/dicomweb/nothing-yet"}) {
    ParsedResponse r = Get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_NE(r.body.find("\"not_found\""), std::string::npos) << target << ": " << r.body;
  }
  EXPECT_EQ(Get("/healthz").body, R"({"status":"ok"})");
  EXPECT_EQ(RawExchange(server_->http_port, Request("POST", "/viewer")).status, 404);
}

TEST_F(BrowserDoorTest, AppConfigIsWrittenByTelerad) {
  ParsedResponse config = Get("/app-config.js");
  EXPECT_EQ(config.status, 200);
  EXPECT_EQ(config.headers["content-type"], "application/javascript; charset=utf-8");
  EXPECT_EQ(config.headers["cache-control"], "no-cache");
  EXPECT_NE(config.body.find("window.config = "), std::string::npos);
  EXPECT_NE(config.body.find(R"("qidoRoot": "/dicomweb")"), std::string::npos) << config.body;
}

TEST_F(BrowserDoorTest, LargeJsonAnswersAreGzippedWhenTheClientAcceptsIt) {
  // Logins are audited: a dozen give an audit page well over 1 KiB.
  for (int i = 0; i < 12; ++i) Login(server_->http_port, "admin");
  const std::string token = Login(server_->http_port, "admin");
  const std::string auth = "Authorization: Bearer " + token + "\r\n";
  ParsedResponse plain = Get("/api/v1/audit?limit=50", auth);
  ParsedResponse gzipped = Get("/api/v1/audit?limit=50", auth + "Accept-Encoding: gzip\r\n");
  ASSERT_EQ(plain.status, 200);
  ASSERT_GT(plain.body.size(), 1024u);
  EXPECT_EQ(plain.headers["vary"], "Accept-Encoding");
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  EXPECT_EQ(gzipped.headers["content-encoding"], "gzip");
  const std::string inflated = Gunzip(gzipped.body);
  std::printf("[ figures  ] audit page: %zu bytes, gzipped %zu\n", inflated.size(),
              gzipped.body.size());
  // The audit read itself is appended between the two reads: compare the structure.
  auto a = nlohmann::json::parse(plain.body), b = nlohmann::json::parse(inflated);
  EXPECT_GE(b["items"].size(), a["items"].size());
  EXPECT_LT(gzipped.body.size(), inflated.size() / 3);
  // Small answers go as they are.
  EXPECT_EQ(Get("/healthz", "Accept-Encoding: gzip\r\n").body, R"({"status":"ok"})");
}

std::string SetCookieOf(const ParsedResponse& r) {
  auto it = r.headers.find("set-cookie");
  return it == r.headers.end() ? "" : it->second;
}

TEST_F(BrowserDoorTest, SessionCookieWorksForReadsAndChangesNeedTheCsrfHeader) {
  const std::string login_body = R"({"username":"rad1","password":"telerad-demo","cookie":true})";
  ParsedResponse login =
      RawExchange(server_->http_port, Request("POST", "/api/v1/auth/login", "", login_body));
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string set_cookie = SetCookieOf(login);
  const std::string token = nlohmann::json::parse(login.body)["token"];
  EXPECT_EQ(set_cookie.rfind("telerad_session=" + token + ";", 0), 0u) << set_cookie;
  for (const char* attribute : {"; HttpOnly", "; SameSite=Strict", "; Path=/", "; Max-Age="})
    EXPECT_NE(set_cookie.find(attribute), std::string::npos) << attribute;
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "plain HTTP, no proxy";

  // Without "cookie": no cookie; a non-boolean is refused.
  EXPECT_EQ(SetCookieOf(RawExchange(server_->http_port,
                                    Request("POST", "/api/v1/auth/login", "",
                                            R"({"username":"rad1","password":"telerad-demo"})"))),
            "");
  EXPECT_EQ(RawExchange(server_->http_port,
                        Request("POST", "/api/v1/auth/login", "",
                                R"({"username":"rad1","password":"telerad-demo","cookie":1})"))
                .status,
            422);

  const std::string cookie = "Cookie: telerad_session=" + token + "\r\n";
  EXPECT_EQ(Get("/api/v1/worklist", cookie).status, 200);
  EXPECT_EQ(Get("/api/v1/worklist", "Cookie: telerad_session=forged\r\n").status, 401);

  // A change authenticated by the cookie alone needs the header...
  ParsedResponse refused =
      RawExchange(server_->http_port, Request("POST", "/api/v1/studies/1.2.3/claim", cookie));
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("\"csrf_required\""), std::string::npos) << refused.body;
  // ...with it, the request reaches the route (no such study here).
  EXPECT_EQ(RawExchange(server_->http_port, Request("POST", "/api/v1/studies/1.2.3/claim",
                                                    cookie + "X-Requested-With: telerad\r\n"))
                .status,
            404);
  // The Bearer header needs no CSRF header: a page cannot make a browser send it.
  EXPECT_EQ(RawExchange(server_->http_port, Request("POST", "/api/v1/studies/1.2.3/claim",
                                                    "Authorization: Bearer " + token + "\r\n"))
                .status,
            404);

  ParsedResponse logout =
      RawExchange(server_->http_port,
                  Request("POST", "/api/v1/auth/logout", cookie + "X-Requested-With: telerad\r\n"));
  EXPECT_EQ(logout.status, 200);
  EXPECT_NE(SetCookieOf(logout).find("telerad_session=;"), std::string::npos);
  EXPECT_NE(SetCookieOf(logout).find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Get("/api/v1/worklist", cookie).status, 401);
}

}  // namespace
}  // namespace telerad::testing
