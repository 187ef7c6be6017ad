#include "tests/integration/harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace telerad::testing {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) throw std::runtime_error(std::string(name) + " is not set: run ./scripts/test");
  return v;
}

std::string AppConninfo() {
  const char* app = std::getenv("TELERAD_TEST_PG_APP");
  return app && *app ? app : Env("TELERAD_TEST_PG") + " user=telerad_app";
}

}  // namespace

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) result.output.append(buf, n);
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string BinDir() { return Env("TELERAD_TEST_BIN_DIR"); }

std::string PassFileAssignment() {
  const char* v = std::getenv("PGPASSFILE");
  return v && *v ? "PGPASSFILE=" + Quote(v) + " " : "";
}
std::string SchemaDir() { return Env("TELERAD_TEST_SCHEMA_DIR"); }

CommandResult TeleradCommand(const TestDatabase& db, const std::string& program,
                             const std::string& args) {
  const char* path = std::getenv("PATH");
  const std::string env = "TELERAD_DB_URL=" + Quote(db.url()) + " " + PassFileAssignment() +
                          "TELERAD_SCHEMA_DIR=" + Quote(Env("TELERAD_TEST_SCHEMA_DIR")) +
                          " TELERAD_LOG_LEVEL=info PATH=" + Quote(path ? path : "/usr/bin:/bin");
  return RunCommand("env -i " + env + " " + Quote(BinDir() + "/" + program) + " " + args);
}

std::string MakeTempDir(const std::string& prefix) {
  std::string tmpl = std::filesystem::temp_directory_path().string() + "/" + prefix + "-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

int FreePort() {
  // Below Linux's ephemeral range (32768-60999): a port taken from that range could be
  // handed to some client's outgoing connection (curl, storescu, psql) before the server
  // that was meant to get it binds, and with tests in parallel that happened in CI.
  static std::mt19937 random(std::random_device{}() ^ static_cast<unsigned>(::getpid()));
  for (int attempt = 0; attempt < 200; ++attempt) {
    const int port = 20000 + static_cast<int>(random() % 12000);
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    ::close(fd);
    if (free) return port;
  }
  throw std::runtime_error("no free port in 20000-31999");
}

TestDatabase::TestDatabase() {
  static std::atomic<int> counter{0};
  admin_url_ = Env("TELERAD_TEST_PG") + " dbname=postgres";
  name_ = "t_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
          std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 100000);
  url_ = Env("TELERAD_TEST_PG") + " dbname=" + name_;
  app_url_ = AppConninfo() + " dbname=" + name_;
  Admin("CREATE DATABASE " + name_);
}

TestDatabase::~TestDatabase() {
  try {
    Admin("ALTER DATABASE " + name_ + " ALLOW_CONNECTIONS true");
    Admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
  }
}

std::string TestDatabase::Scalar(const std::string& sql) const {
  pqxx::connection conn(url_);
  pqxx::nontransaction txn(conn);
  pqxx::result r = txn.exec(sql);
  if (r.empty() || r[0][0].is_null()) return "";
  return r[0][0].as<std::string>();
}

void TestDatabase::Admin(const std::string& sql) const {
  pqxx::connection conn(admin_url_);
  pqxx::nontransaction txn(conn);
  txn.exec(sql);
}

TeleradServer::TeleradServer(const TestDatabase& db, Options options)
    : db_(db), options_(std::move(options)) {
  storage = options_.storage.empty() ? MakeTempDir("telerad-storage") : options_.storage;
  log_path_ = MakeTempDir("telerad-log") + "/telerad.log";
  dicom_port = FreePort();
  http_port = FreePort();
}

TeleradServer::~TeleradServer() {
  if (pid_ > 0) Kill();
  std::error_code ec;
  if (options_.storage.empty()) std::filesystem::remove_all(storage, ec);
  if (!::testing::Test::HasFailure())
    std::filesystem::remove_all(std::filesystem::path(log_path_).parent_path(), ec);
}

std::vector<std::string> TeleradServer::Environment() const {
  std::map<std::string, std::string> env = {
      {"TELERAD_DB_URL", db_.app_url()},
      {"TELERAD_STORAGE", storage},
      {"TELERAD_DICOM_PORT", std::to_string(dicom_port)},
      {"TELERAD_HTTP_PORT", std::to_string(http_port)},
      {"TELERAD_HTTP_BIND", "127.0.0.1"},
      {"TELERAD_STABLE_AFTER", std::to_string(options_.stable_after_s)},
      {"TELERAD_DICOM_WORKERS", std::to_string(options_.dicom_workers)},
      {"TELERAD_DICOM_TIMEOUT", std::to_string(options_.dicom_timeout_s)},
      {"TELERAD_SCHEMA_DIR", Env("TELERAD_TEST_SCHEMA_DIR")},
      {"TELERAD_LOG_LEVEL", "info"},
      // No viewer nor pages unless a test gives them: whether web/node_modules is
      // installed or pages/dist built must not change what unknown paths answer.
      {"TELERAD_VIEWER_DIR", ""},
      {"TELERAD_PAGES_DIR", ""},
      {"PATH", std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin"},
  };
  if (const char* pass_file = std::getenv("PGPASSFILE")) env["PGPASSFILE"] = pass_file;
  for (const auto& [k, v] : options_.env) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

void TeleradServer::Start() {
  std::vector<std::string> env = Environment();
  std::string prefix;
  for (const auto& e : env) prefix += Quote(e) + " ";
  // Migrating and seeding is the owner's work; the server itself gets no owner connection.
  const std::string prepare = options_.seed_demo ? "seed-demo" : "migrate";
  CommandResult seed = RunCommand("env -i " + prefix + "TELERAD_DB_OWNER_URL=" + Quote(db_.url()) +
                                  " " + Quote(BinDir() + "/telerad") + " " + prepare);
  if (seed.exit_code != 0) {
    ADD_FAILURE() << prepare << " failed: " << seed.output;
    throw std::runtime_error(prepare + " failed");
  }
  const size_t log_start = Log().size();  // a restart appends to the same log
  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string bin = BinDir() + "/telerad";
    char* argv[] = {bin.data(), const_cast<char*>("serve"), nullptr};
    ::execve(bin.c_str(), argv, envp.data());
    ::_exit(127);
  }
  for (int i = 0; i < 200; ++i) {
    // Ready means our own process logged it: a 200 alone could come from another test's
    // server on a port that was free a moment ago.
    if (Http("GET", http_port, "/readyz").status == 200 &&
        Log().find("event=ready", log_start) != std::string::npos) {
      int status;
      if (::waitpid(pid_, &status, WNOHANG) == 0) return;
    }
    int status;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      // Another process took one of our ports between FreePort and bind: new ports.
      if (Log().find("listen_failed", log_start) != std::string::npos && ++port_retries_ < 3) {
        dicom_port = FreePort();
        http_port = FreePort();
        Start();
        return;
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "server did not become ready; log:\n" << Log();
  throw std::runtime_error("server did not start");
}

int TeleradServer::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

void TeleradServer::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string TeleradServer::Log() const { return ReadFile(log_path_); }

HttpResponse Http(const std::string& method, int port, const std::string& path,
                  const std::string& body, const std::string& token,
                  const std::vector<std::string>& headers) {
  // curl >= 7.84 writes response headers with %header{}: the ETag travels on its own line.
  std::string cmd = "curl -s -m 20 -o - -w '\\n%header{etag}\\n%{http_code}' -X " + method;
  if (!token.empty()) cmd += " -H " + Quote("Authorization: Bearer " + token);
  bool typed = false;  // a caller's own Content-Type (a CSV upload) replaces the JSON default
  for (const auto& h : headers) {
    cmd += " -H " + Quote(h);
    typed = typed || strncasecmp(h.c_str(), "Content-Type:", 13) == 0;
  }
  if (!body.empty() && !typed) cmd += " -H 'Content-Type: application/json'";
  if (!body.empty()) cmd += " --data-binary " + Quote(body);
  cmd += " " + Quote("http://127.0.0.1:" + std::to_string(port) + path);
  CommandResult r = RunCommand(cmd);
  HttpResponse response;
  auto nl = r.output.rfind('\n');
  if (nl == std::string::npos) return response;
  response.status = std::atoi(r.output.c_str() + nl + 1);
  auto etag_nl = nl == 0 ? std::string::npos : r.output.rfind('\n', nl - 1);
  if (etag_nl == std::string::npos) return response;
  response.etag = r.output.substr(etag_nl + 1, nl - etag_nl - 1);
  response.body = r.output.substr(0, etag_nl);
  response.json = nlohmann::json::parse(response.body, nullptr, false);
  return response;
}

std::string Login(int port, const std::string& username, const std::string& password) {
  HttpResponse r = Http("POST", port, "/api/v1/auth/login",
                        nlohmann::json{{"username", username}, {"password", password}}.dump());
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200 || !r.json.contains("token")) return "";
  return r.json["token"].get<std::string>();
}

std::vector<std::string> Generate(const std::string& out_dir, const std::string& args) {
  CommandResult r =
      RunCommand(Quote(BinDir() + "/telerad-gen-dicom") + " --out " + Quote(out_dir) + " " + args);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::vector<std::string> uids;
  std::istringstream lines(r.output);
  std::string line;
  while (std::getline(lines, line)) {
    std::string uid = line.substr(0, line.find(' '));
    if (!uid.empty() && std::isdigit(static_cast<unsigned char>(uid[0]))) uids.push_back(uid);
  }
  return uids;
}

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> StoredFiles(const std::string& storage) {
  std::vector<std::string> files;
  for (const auto& f : FilesIn(storage))
    if (f.compare(storage.size(), 10, "/.staging/") != 0) files.push_back(f);
  return files;
}

std::vector<std::string> PartialStagingFiles(const std::string& storage) {
  std::vector<std::string> files;
  if (!std::filesystem::exists(storage + "/.staging")) return files;
  for (const auto& f : FilesIn(storage + "/.staging"))
    if (std::filesystem::file_size(f) > 0) files.push_back(f);
  return files;
}

StoreOutcome StoreScu(int port, const std::vector<std::string>& paths,
                      const std::string& calling_ae, const std::string& extra) {
  // -nh: keep sending after a refusal, so that every file gets its own answer.
  std::string cmd = "TCP_NODELAY=1 storescu -v -nh -aet " + Quote(calling_ae) + " -aec TELERAD " +
                    extra + " 127.0.0.1 " + std::to_string(port);
  for (const auto& p : paths) cmd += " " + Quote(p);
  StoreOutcome outcome;
  outcome.output = RunCommand(cmd).output;
  std::istringstream lines(outcome.output);
  std::string line, current;
  const std::string kSending = "I: Sending file: ";
  const std::string kResponse = "I: Received Store Response (";
  while (std::getline(lines, line)) {
    if (line.rfind(kSending, 0) == 0) {
      current = line.substr(kSending.size());
    } else if (line.rfind(kResponse, 0) == 0 && !current.empty()) {
      (line.compare(kResponse.size(), 7, "Success") == 0 ? outcome.stored : outcome.failed)
          .push_back(current);
      current.clear();
    }
  }
  return outcome;
}

int ConnectToLoopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  return fd;
}

bool EchoScu(int port, const std::string& calling_ae) {
  return RunCommand("echoscu -aet " + Quote(calling_ae) + " -aec TELERAD 127.0.0.1 " +
                    std::to_string(port))
             .exit_code == 0;
}

std::string SopInstanceUidOf(const std::string& path) {
  std::string out = RunCommand("dcmdump +P 0008,0018 -s " + Quote(path)).output;
  auto open = out.find('['), close = out.find(']');
  return open == std::string::npos || close == std::string::npos
             ? ""
             : out.substr(open + 1, close - open - 1);
}

void ServerTest::SetUp() {
  server_ = std::make_unique<TeleradServer>(db_, options_);
  server_->Start();
  data_ = MakeTempDir("telerad-data");
}

std::vector<std::string> ServerTest::ReadyStudies(int count, int seed, const std::string& args) {
  const std::string dir = data_ + "/ready-" + std::to_string(seed);
  auto uids = Generate(
      dir, "--studies " + std::to_string(count) + " --seed " + std::to_string(seed) + " " + args);
  EXPECT_EQ(StoreScu(server_->dicom_port, FilesIn(dir)).failed.size(), 0u);
  std::string in_list;
  for (const auto& uid : uids) in_list += (in_list.empty() ? "'" : ",'") + uid + "'";
  for (int i = 0; i < 100; ++i) {
    if (db_.Scalar("SELECT count(*) FROM study WHERE status = 'ready' AND study_uid IN (" +
                   in_list + ")") == std::to_string(count))
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return uids;
}

void ServerTest::AddUser(const std::string& username, const std::string& role,
                         const std::string& facility_code) {
  // The new account shares rad1's password hash, so Login()'s default password works.
  db_.Scalar("INSERT INTO app_user (username, role, facility_id, password_hash) SELECT '" +
             username + "', '" + role + "', " +
             (facility_code.empty()
                  ? std::string("NULL")
                  : "(SELECT id FROM facility WHERE code = '" + facility_code + "')") +
             ", password_hash FROM app_user WHERE username = 'rad1'");
}

void ServerTest::TearDown() {
  server_.reset();
  std::filesystem::remove_all(data_);
}

bool Listening(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

StoreScp::StoreScp(std::vector<std::string> options, int port) : port_(port ? port : FreePort()) {
  log_ = MakeTempDir("storescp-log") + "/storescp.log";
  std::vector<std::string> args = {"storescp", "-aet", "FACPACS"};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back(std::to_string(port_));
  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp("storescp", argv.data());
    ::_exit(127);
  }
  for (int i = 0; i < 100 && !Listening(port_); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(Listening(port_)) << "storescp did not start: " << ReadFile(log_);
}

StoreScp::~StoreScp() {
  ::kill(pid_, SIGTERM);
  ::waitpid(pid_, nullptr, 0);
}

std::string StoreScp::Log() const { return ReadFile(log_); }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string DataSetBytes(const std::string& path) {
  // Part 10: 128-byte preamble, "DICM", then group 0002 in explicit VR little endian,
  // its length given by (0002,0000) UL right after the magic.
  std::string bytes = ReadFile(path);
  if (bytes.size() < 144 || bytes.compare(128, 4, "DICM") != 0) return "";
  const unsigned char* p = reinterpret_cast<const unsigned char*>(bytes.data()) + 140;
  uint32_t group_length = p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
  size_t start = 144 + group_length;
  return start <= bytes.size() ? bytes.substr(start) : "";
}

// The parts of a multipart/related body: (part headers, part bytes).
std::vector<std::pair<std::string, std::string>> MultipartParts(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> parts;
  const size_t eol = body.find("\r\n");
  if (body.rfind("--", 0) != 0 || eol == std::string::npos) return parts;
  const std::string delimiter = "\r\n" + body.substr(0, eol);
  size_t at = eol + 2;
  for (;;) {
    const size_t headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string::npos) return parts;
    const size_t end = body.find(delimiter, headers_end + 4);
    if (end == std::string::npos) return parts;
    parts.emplace_back(body.substr(at, headers_end - at),
                       body.substr(headers_end + 4, end - headers_end - 4));
    at = end + delimiter.size();
    if (body.compare(at, 2, "--") == 0) return parts;
    at += 2;
  }
}

}  // namespace telerad::testing
