// Silent, trickling and greedy DICOM peers (issue 12, item 1), played with raw TCP
// sockets against the real binary: none of them may delay another sender, an over-cap
// peer is rejected at once instead of left hanging, an oversized data set ends its
// association, and the server is alive and serving at the end of each.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/harness.h"
#include "tests/integration/slow_link.h"

namespace telerad::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void Append16(std::string& out, size_t v) {
  out += static_cast<char>((v >> 8) & 0xFF);
  out += static_cast<char>(v & 0xFF);
}
void Append32(std::string& out, size_t v) {
  Append16(out, v >> 16);
  Append16(out, v & 0xFFFF);
}
std::string Item(unsigned char type, const std::string& value) {
  std::string out(1, static_cast<char>(type));
  out += '\0';
  Append16(out, value.size());
  return out + value;
}
std::string AePadded(const std::string& ae) { return ae + std::string(16 - ae.size(), ' '); }

// An A-ASSOCIATE-RQ for Verification (PS3.8 9.3.2), as echoscu would send it.
std::string AssociateRq(const std::string& calling_ae) {
  std::string body;
  Append16(body, 1);  // protocol version
  body += std::string(2, '\0') + AePadded("TELERAD") + AePadded(calling_ae) + std::string(32, '\0');
  body += Item(0x10, "1.2.840.10008.3.1.1.1");
  std::string context = {0x01, 0x00, 0x00, 0x00};
  context += Item(0x30, "1.2.840.10008.1.1") + Item(0x40, "1.2.840.10008.1.2");
  body += Item(0x20, context);
  std::string max_length;
  Append32(max_length, 16384);
  body += Item(0x50, Item(0x51, max_length) + Item(0x52, "1.2.3.4.5"));
  std::string pdu = {0x01, 0x00};
  Append32(pdu, body.size());
  return pdu + body;
}

// The first bytes of the server's answer within `timeout`: empty on silence, "EOF" when
// the connection ended.
std::string ReadAnswer(int fd, std::chrono::milliseconds timeout, size_t bytes = 10) {
  std::string out;
  const auto deadline = Clock::now() + timeout;
  while (out.size() < bytes) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[64];
    const ssize_t n = ::recv(fd, buffer, std::min(sizeof(buffer), bytes - out.size()), 0);
    if (n <= 0) return out.empty() ? "EOF" : out;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

// True once the server has closed `fd` (EOF or reset), within `timeout`.
bool ClosedByServer(int fd, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) > 0) {
      char buffer[256];
      const ssize_t n = ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
      if (n <= 0) return true;
    }
  }
  return false;
}

class HostilePeerTest : public ServerTest {
 protected:
  HostilePeerTest() {
    options_.env["TELERAD_DICOM_REQUEST_TIMEOUT"] = "3";
    options_.env["TELERAD_METRICS_TOKEN"] = kMetricsToken;
  }
  void TearDown() override {
    for (int fd : sockets_) ::close(fd);
    ServerTest::TearDown();
  }

  int Open() {
    sockets_.push_back(ConnectToLoopback(server_->dicom_port));
    return sockets_.back();
  }

  // Registers a second facility, OTHER_SCU.
  void AddOtherFacility() {
    db_.Scalar(
        "INSERT INTO facility (code, name, aimag, ae_title) VALUES ('B', 'Other', 'Увс', "
        "'OTHER_SCU')");
  }

  // The server answers /readyz and stores an instance from `calling_ae`.
  void ExpectServing(const std::string& calling_ae, int seed) {
    EXPECT_EQ(Http("GET", server_->http_port, "/readyz").status, 200);
    const std::string dir = data_ + "/serving-" + std::to_string(seed);
    Generate(dir, "--rows 16 --cols 16 --instances 1 --seed " + std::to_string(seed));
    StoreOutcome outcome = StoreScu(server_->dicom_port, FilesIn(dir), calling_ae);
    EXPECT_EQ(outcome.stored.size(), 1u) << outcome.output;
  }

  // The value of the metric `series` (name and labels) at /metrics; -1 if absent.
  double Metric(const std::string& series) {
    HttpResponse r = Http("GET", server_->http_port, "/metrics", "", kMetricsToken);
    const std::string key = series + " ";
    const auto at = r.body.find(key);
    return at == std::string::npos ? -1 : std::stod(r.body.substr(at + key.size()));
  }
  double RejectedAssociations() {
    return Metric("telerad_dicom_associations_total{outcome=\"rejected\"}");
  }

  // Seconds echoscu from DEMO_SCU takes to get its C-ECHO answered; -1 if it failed.
  double TimedEcho() {
    const auto start = Clock::now();
    const bool ok = EchoScu(server_->dicom_port, "DEMO_SCU");
    return ok ? SecondsSince(start) : -1;
  }

  // True once the server's log holds `text` (it may trail what a peer saw by a moment).
  bool LogShows(const std::string& text) {
    for (int i = 0; i < 20; ++i) {
      if (server_->Log().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  static constexpr const char* kMetricsToken = "hostile-peer-metrics-token";
  std::vector<int> sockets_;
};

TEST_F(HostilePeerTest, TwelveSilentPeersDoNotDelayAnEcho) {
  std::vector<int> silent;
  for (int i = 0; i < 12; ++i) silent.push_back(Open());
  std::this_thread::sleep_for(200ms);  // all accepted, none has said anything

  const double seconds = TimedEcho();
  std::printf("[ FIGURE   ] C-ECHO answered in %.3f s with 12 silent peers connected\n", seconds);
  ASSERT_GE(seconds, 0) << "echoscu failed";
  EXPECT_LT(seconds, 2.0);  // before the fix: blocked behind each silent peer's timeout

  // Each silent peer is dropped at the request deadline (3 s here), not held for ever.
  for (int fd : silent) EXPECT_TRUE(ClosedByServer(fd, 5s));
  EXPECT_TRUE(LogShows("event=connection_dropped"));
  ExpectServing("DEMO_SCU", 801);
}

TEST_F(HostilePeerTest, PeersTricklingTheirRequestDoNotDelayOthers) {
  const std::string rq = AssociateRq("DEMO_SCU");
  std::vector<int> tricklers;
  for (int i = 0; i < 12; ++i) tricklers.push_back(Open());
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    // One byte a second from each, as long as the server keeps the connection.
    for (size_t at = 0; at < rq.size() && !stop.load(); ++at) {
      for (int fd : tricklers) ::send(fd, &rq[at], 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      for (int i = 0; i < 10 && !stop.load(); ++i) std::this_thread::sleep_for(100ms);
    }
  });
  std::this_thread::sleep_for(1500ms);  // every trickler has sent a byte or two

  const double seconds = TimedEcho();
  std::printf("[ FIGURE   ] C-ECHO answered in %.3f s with 12 trickling peers\n", seconds);
  EXPECT_GE(seconds, 0) << "echoscu failed";
  EXPECT_LT(seconds, 2.0);
  ExpectServing("DEMO_SCU", 802);

  for (int fd : tricklers) EXPECT_TRUE(ClosedByServer(fd, 5s));
  stop = true;
  trickle.join();
  EXPECT_TRUE(EchoScu(server_->dicom_port, "DEMO_SCU"));
}

TEST_F(HostilePeerTest, CallingAePastItsCapIsRejectedPromptlyWhileAnotherAeGetsIn) {
  AddOtherFacility();
  const double rejected_before = RejectedAssociations();
  // Four associations from DEMO_SCU (the default cap), each trickling a P-DATA PDU a
  // byte a second so that no idle timeout ends it: a greedy, registered sender.
  std::vector<int> held;
  for (int i = 0; i < 4; ++i) {
    const int fd = Open();
    const std::string rq = AssociateRq("DEMO_SCU");
    ASSERT_EQ(::send(fd, rq.data(), rq.size(), 0), static_cast<ssize_t>(rq.size()));
    const std::string answer = ReadAnswer(fd, 3s, 6);
    ASSERT_FALSE(answer.empty());
    ASSERT_EQ(answer[0], 0x02) << "association " << i << " not accepted";  // A-ASSOCIATE-AC
    ReadAnswer(fd, 200ms, 4096);                                           // rest of the AC
    held.push_back(fd);
  }
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    const std::string pdata = {0x04, 0x00, 0x00, 0x00, 0x10, 0x00};
    for (size_t at = 0; at < pdata.size() && !stop.load(); ++at) {
      for (int fd : held) ::send(fd, &pdata[at], 1, MSG_NOSIGNAL | MSG_DONTWAIT);
      for (int i = 0; i < 10 && !stop.load(); ++i) std::this_thread::sleep_for(100ms);
    }
  });

  // The fifth from DEMO_SCU: A-ASSOCIATE-RJ, transient (2), service provider
  // presentation related (3), local limit exceeded (2): PS3.8 9.3.4.
  const int fifth = Open();
  const std::string rq = AssociateRq("DEMO_SCU");
  const auto start = Clock::now();
  ASSERT_EQ(::send(fifth, rq.data(), rq.size(), 0), static_cast<ssize_t>(rq.size()));
  const std::string answer = ReadAnswer(fifth, 3s, 10);
  const double seconds = SecondsSince(start);
  std::printf("[ FIGURE   ] over-cap association rejected in %.3f s\n", seconds);
  ASSERT_EQ(answer.size(), 10u) << "no answer: left hanging";
  EXPECT_EQ(answer[0], 0x03);  // A-ASSOCIATE-RJ
  EXPECT_EQ(answer[7], 0x02);
  EXPECT_EQ(answer[8], 0x03);
  EXPECT_EQ(answer[9], 0x02);
  EXPECT_LT(seconds, 1.0);
  EXPECT_EQ(RejectedAssociations(), rejected_before + 1);

  // Another facility's sender still gets in and stores.
  EXPECT_TRUE(EchoScu(server_->dicom_port, "OTHER_SCU"));
  ExpectServing("OTHER_SCU", 803);

  stop = true;
  trickle.join();
  for (int fd : held) ::shutdown(fd, SHUT_RDWR);  // DEMO_SCU's slots free up
  std::this_thread::sleep_for(500ms);
  ExpectServing("DEMO_SCU", 804);
}

class SmallDataSetCapTest : public HostilePeerTest {
 protected:
  SmallDataSetCapTest() { options_.env["TELERAD_DICOM_MAX_DATASET_BYTES"] = "1048576"; }
};

TEST_F(SmallDataSetCapTest, OversizedDataSetAbortsItsAssociationAndLeavesNothingStaged) {
  Generate(data_ + "/big", "--rows 1024 --cols 1024 --instances 1 --seed 805");  // 2 MiB
  StoreOutcome outcome = StoreScu(server_->dicom_port, FilesIn(data_ + "/big"));
  EXPECT_TRUE(outcome.stored.empty()) << outcome.output;
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "0");
  EXPECT_TRUE(PartialStagingFiles(server_->storage).empty());
  EXPECT_TRUE(StoredFiles(server_->storage).empty());
  EXPECT_TRUE(LogShows("larger than 1048576 bytes")) << server_->Log();
  ExpectServing("DEMO_SCU", 806);
}

class ShortAssociationTest : public HostilePeerTest {
 protected:
  ShortAssociationTest() { options_.env["TELERAD_DICOM_ASSOCIATION_MAX"] = "10"; }
};

TEST_F(ShortAssociationTest, AssociationTricklingPastItsDeadlineIsCut) {
  const int fd = Open();
  const std::string rq = AssociateRq("DEMO_SCU");
  ASSERT_EQ(::send(fd, rq.data(), rq.size(), 0), static_cast<ssize_t>(rq.size()));
  const std::string answer = ReadAnswer(fd, 3s, 6);
  ASSERT_FALSE(answer.empty());
  ASSERT_EQ(answer[0], 0x02);
  ReadAnswer(fd, 200ms, 4096);
  const auto start = Clock::now();
  // A P-DATA PDU announcing 4 KiB, sent a byte a second: never idle for dicom_timeout.
  std::string pdata = {0x04, 0x00, 0x00, 0x00, 0x10, 0x00};
  pdata += std::string(4096, '\0');
  bool cut = false;
  for (size_t at = 0; at < pdata.size() && SecondsSince(start) < 20; ++at) {
    if (::send(fd, &pdata[at], 1, MSG_NOSIGNAL) != 1 || ClosedByServer(fd, 1s)) {
      cut = true;
      break;
    }
  }
  const double seconds = SecondsSince(start);
  std::printf("[ FIGURE   ] trickling association cut after %.1f s (deadline 10 s)\n", seconds);
  EXPECT_TRUE(cut);
  EXPECT_LT(seconds, 14.0);
  EXPECT_TRUE(LogShows("event=association_cut calling_ae=DEMO_SCU"));
  ExpectServing("DEMO_SCU", 807);
}

// A data set must arrive at dicom_min_rate over each dicom_timeout window (two slow
// windows in a row cut): here 8 KiB a second over 2 s. The senders are storescu behind a throttled
// relay (a slow link).
class SlowSenderTest : public HostilePeerTest {
 protected:
  SlowSenderTest() {
    options_.dicom_timeout_s = 2;
    options_.env["TELERAD_DICOM_MIN_RATE"] = "8192";
  }
  // storescu through a link of `bytes_per_second`, proposing only what the files need
  // (its default proposal of every storage class would take seconds to trickle through).
  StoreOutcome StoreThroughLink(int64_t bytes_per_second, const std::string& dir) {
    SlowLink link(server_->dicom_port, bytes_per_second);
    return StoreScu(link.port(), FilesIn(dir), "DEMO_SCU", "-R");
  }
};

TEST_F(SlowSenderTest, ADataSetTrickledBelowTheMinimumRateIsCutAndNothingIsStored) {
  Generate(data_ + "/slow", "--rows 256 --cols 256 --instances 1 --seed 808");  // 128 KiB
  const auto start = Clock::now();
  StoreOutcome outcome = StoreThroughLink(1000, data_ + "/slow");
  const double seconds = SecondsSince(start);
  std::printf(
      "[ FIGURE   ] 1,000 bytes/s sender cut after %.1f s (2 windows of 2 s, 8,192 bytes/s)\n",
      seconds);
  // Not acknowledged: the sender still holds the instance and will send it again.
  EXPECT_TRUE(outcome.stored.empty()) << outcome.output;
  EXPECT_LT(seconds, 10.0);  // at 1,000 bytes/s the data set alone would take 2 minutes
  EXPECT_TRUE(
      LogShows("event=association_cut calling_ae=DEMO_SCU reason=\"data set arriving "
               "slower than 8192 bytes/s"))
      << server_->Log();
  EXPECT_EQ(Metric("telerad_dicom_associations_cut_total{reason=\"too_slow\"}"), 1);
  EXPECT_EQ(Metric("telerad_dicom_associations_cut_total{reason=\"too_long\"}"), 0);
  EXPECT_EQ(db_.Scalar("SELECT count(*) FROM instance"), "0");
  // The worker removes the partial file as its association ends, on its own thread.
  const auto deadline = Clock::now() + 5s;
  while (!PartialStagingFiles(server_->storage).empty() && Clock::now() < deadline)
    std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(PartialStagingFiles(server_->storage).empty());
  ExpectServing("DEMO_SCU", 809);
}

TEST_F(SlowSenderTest, ASlowLinkAboveTheMinimumRateStoresOverManyWindows) {
  Generate(data_ + "/steady", "--rows 256 --cols 256 --instances 1 --seed 810");
  const auto start = Clock::now();
  StoreOutcome outcome = StoreThroughLink(24 * 1024, data_ + "/steady");
  const double seconds = SecondsSince(start);
  std::printf("[ FIGURE   ] 24 KiB/s sender stored one 128 KiB instance in %.1f s\n", seconds);
  EXPECT_EQ(outcome.stored.size(), 1u) << outcome.output << server_->Log();
  EXPECT_GT(seconds, 4.0);  // the data set took at least two windows
  EXPECT_EQ(Metric("telerad_dicom_associations_cut_total{reason=\"too_slow\"}"), 0);
}

}  // namespace
}  // namespace telerad::testing
