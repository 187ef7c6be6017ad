// A server runs for months: associations must not leak threads or memory, a stalled
// peer must not hold a worker forever, and many facilities send at once.
#include <arpa/inet.h>
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmnet/scu.h>
#include <dcmtk/oflog/oflog.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

// AddressSanitizer keeps freed memory in a quarantine (256 MiB by default), so under it a
// server's RSS grows without any leak; LeakSanitizer checks at the server's exit instead.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

long StatusField(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  return -1;
}

// One association with one C-ECHO, through DCMTK's SCU class (no process per echo).
bool EchoOnce(int port) {
  OFLog::configure(OFLogger::WARN_LOG_LEVEL);  // DCMTK's SCU logs every step at INFO
  DcmSCU scu;
  scu.setAETitle("DEMO_SCU");
  scu.setPeerAETitle("TELERAD");
  scu.setPeerHostName("127.0.0.1");
  scu.setPeerPort(static_cast<Uint16>(port));
  scu.setACSETimeout(10);
  scu.setDIMSETimeout(10);
  scu.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  OFList<OFString> syntaxes;
  syntaxes.push_back(UID_LittleEndianImplicitTransferSyntax);
  scu.addPresentationContext(UID_VerificationSOPClass, syntaxes);
  if (scu.initNetwork().bad() || scu.negotiateAssociation().bad()) return false;
  bool ok = scu.sendECHORequest(0).good();
  scu.releaseAssociation();
  return ok;
}

TEST(DicomResourcesTest, TenThousandAssociationsLeaveThreadsAndMemoryFlat) {
  // Our own SCU: without this DCMTK leaves Nagle on and each echo waits ~40 ms for an ACK.
  setenv("TCP_NODELAY", "1", 1);
  TestDatabase db;
  // The per-AE cap is not under test: the sender gets its release answer before the
  // server's worker has finished with the association, and a slow (sanitized) server may
  // still count a few just-ended ones when the next echo arrives.
  TeleradServer::Options options;
  options.env["TELERAD_DICOM_MAX_PER_AE"] = "16";
  TeleradServer server(db, options);
  server.Start();
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(EchoOnce(server.dicom_port));  // warm up pools
  const long threads_before = StatusField(server.pid(), "Threads");
  const long rss_before_kb = StatusField(server.pid(), "VmRSS");
  int failures = 0;
  for (int i = 0; i < 10000; ++i) failures += EchoOnce(server.dicom_port) ? 0 : 1;
  EXPECT_EQ(failures, 0);
  const long threads_after = StatusField(server.pid(), "Threads");
  const long rss_after_kb = StatusField(server.pid(), "VmRSS");
  EXPECT_EQ(threads_after, threads_before);
  // A leak of one thread stack or one association per connection would be far more.
  if (!kAddressSanitizer) {
    EXPECT_LT(rss_after_kb - rss_before_kb, 4 * 1024)
        << "RSS went from " << rss_before_kb << " kB to " << rss_after_kb << " kB";
  }
  EXPECT_EQ(server.Stop(), 0) << server.Log();  // under ASan: LeakSanitizer found nothing
  RecordProperty("threads", std::to_string(threads_after));
  RecordProperty("rss_growth_kb", std::to_string(rss_after_kb - rss_before_kb));
}

// A TCP relay between storescu and the server that stops forwarding the client's bytes
// after `budget` bytes while keeping both connections open: a peer stalled mid-transfer.
class StallingRelay {
 public:
  StallingRelay(int target_port, size_t budget) : target_port_(target_port), budget_(budget) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(listen_fd_, 1);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~StallingRelay() {
    stop_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    for (int fd : {client_fd_.load(), server_fd_.load()})
      if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
    thread_.join();
    ::close(listen_fd_);
  }
  int port = 0;

 private:
  void Serve() {
    int client = ::accept(listen_fd_, nullptr, nullptr);
    if (client < 0) return;
    int server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(target_port_));
    ::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    client_fd_ = client;
    server_fd_ = server;
    std::thread back([&] {  // server -> client, always
      char buf[8192];
      ssize_t n;
      while ((n = ::read(server, buf, sizeof(buf))) > 0) ::write(client, buf, n);
    });
    size_t forwarded = 0;
    char buf[8192];
    ssize_t n;
    while (!stop_ && (n = ::read(client, buf, sizeof(buf))) > 0) {
      if (forwarded >= budget_) continue;  // swallow: the server waits for the rest
      size_t take = std::min(static_cast<size_t>(n), budget_ - forwarded);
      ::write(server, buf, take);
      forwarded += take;
    }
    ::shutdown(server, SHUT_RDWR);
    back.join();
    ::close(server);
    ::close(client);
  }
  const int target_port_;
  const size_t budget_;
  int listen_fd_ = -1;
  std::atomic<int> client_fd_{-1}, server_fd_{-1};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(DicomResourcesTest, PeerStalledMidTransferIsDroppedAfterTheTimeout) {
  TestDatabase db;
  TeleradServer::Options options;
  options.dicom_workers = 1;
  options.dicom_timeout_s = 2;
  TeleradServer server(db, options);
  server.Start();
  const std::string data = MakeTempDir("telerad-data");
  Generate(data, "--modality CR --instances 1 --rows 1024 --cols 1024 --seed 300");

  // Lets through the association and part of the image, then nothing.
  auto relay = std::make_unique<StallingRelay>(server.dicom_port, 64 * 1024);
  const int relay_port = relay->port;
  auto sender = std::async(std::launch::async, [&] { return StoreScu(relay_port, FilesIn(data)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_FALSE(EchoOnce(server.dicom_port)) << "the only worker should be busy with the stall";
  std::this_thread::sleep_for(std::chrono::seconds(4));
  EXPECT_TRUE(EchoOnce(server.dicom_port)) << "the stalled association still holds the worker";
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM instance"), "0");
  EXPECT_TRUE(PartialStagingFiles(server.storage).empty());
  relay.reset();  // closes both sides; storescu gives up
  EXPECT_TRUE(sender.get().stored.empty());
  std::filesystem::remove_all(data);
}

TEST(DicomResourcesTest, SixteenFacilitiesSendAtOnce) {
  TestDatabase db;
  TeleradServer server(db, {});
  server.Start();
  // Sixteen facilities of their own: one calling AE may hold only dicom_max_per_ae
  // associations at once (issue 12).
  for (int i = 0; i < 16; ++i)
    db.Scalar("INSERT INTO facility (code, name, aimag, ae_title) VALUES ('F" + std::to_string(i) +
              "', 'Facility " + std::to_string(i) + "', 'Увс', 'SCU_" + std::to_string(i) + "')");
  const std::string data = MakeTempDir("telerad-data");
  for (int i = 0; i < 16; ++i)
    Generate(data + "/" + std::to_string(i),
             "--modality CT --instances 20 --rows 64 --cols 64 --seed " + std::to_string(200 + i));
  std::vector<std::future<StoreOutcome>> senders;
  for (int i = 0; i < 16; ++i)
    senders.push_back(std::async(std::launch::async, [&, i] {
      return StoreScu(server.dicom_port, FilesIn(data + "/" + std::to_string(i)),
                      "SCU_" + std::to_string(i));
    }));
  for (auto& s : senders) {
    StoreOutcome outcome = s.get();
    EXPECT_EQ(outcome.stored.size(), 20u) << outcome.output;
  }
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM instance"), "320");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM study"), "16");
  std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace telerad::testing
