// QIDO-RS over real HTTP against the real server and PostgreSQL: matching (Cyrillic names
// case-insensitively, wildcards, dates, modalities), paging, includefield from the stored
// metadata, who sees what, and the audit entry of a search.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/integration/harness.h"

namespace telerad::testing {
namespace {

// Percent-encodes a query value (UTF-8 bytes and the reserved characters).
std::string Encode(const std::string& value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class QidoTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    db_.Scalar(
        "INSERT INTO facility (code, name, aimag, ae_title) VALUES ('OTHER', 'Өөр эмнэлэг', "
        "'Дорнод', 'OTHER_SCU')");
    AddUser("fac2", "facility", "OTHER");
    rad_ = Login(server_->http_port, "rad1");
  }

  // A study row of `facility` straight into the index (as ingest leaves it), with one
  // series of `modality`; its id.
  std::string AddStudy(const std::string& uid, const std::string& name, const std::string& date,
                       const std::string& modality, const std::string& facility = "DEMO") {
    const std::string id = db_.Scalar(
        "INSERT INTO study (study_uid, facility_id, patient_name, patient_id, study_date,"
        " modalities, accession_number, description, num_series, num_instances)"
        " SELECT '" +
        uid + "', id, '" + name + "', 'PID-" + uid + "', '" + date + "', ARRAY['" + modality +
        "'], 'ACC-" + uid + "', 'CT HEAD " + uid + "', 1, 1 FROM facility WHERE code = '" +
        facility + "' RETURNING id");
    db_.Scalar(
        "INSERT INTO series (study_id, series_uid, modality, series_number, num_instances)"
        " VALUES (" +
        id + ", '" + uid + ".1', '" + modality + "', 1, 1)");
    return id;
  }

  // The StudyInstanceUIDs of a search's answer, in order.
  std::vector<std::string> Uids(const HttpResponse& r, const char* key = "0020000D") {
    std::vector<std::string> uids;
    EXPECT_EQ(r.status, 200) << r.body;
    if (!r.json.is_array()) return uids;
    for (const auto& item : r.json) uids.push_back(item[key]["Value"][0]);
    return uids;
  }

  HttpResponse Get(const std::string& path, const std::string& token) {
    return Http("GET", server_->http_port, path, "", token);
  }

  std::string rad_;
};

TEST_F(QidoTest, CyrillicNameSentInIsoIr144IsFoundByALowerCaseUtf8Wildcard) {
  const std::string dir = data_ + "/iso144";
  const std::string study_uid =
      Generate(dir,
               "--charset ISO_IR_144 --patient-name БАТБАЯР^ДОРЖ --modality CT --instances 2 "
               "--rows 16 --cols 16 --seed 1301")[0];
  StoreOutcome sent = StoreScu(server_->dicom_port, FilesIn(dir));
  ASSERT_EQ(sent.stored.size(), 2u) << sent.output;
  // A stranger in the same index.
  AddStudy("1.2.9.1", "ДОРЖСҮРЭН^БАТ", "2025-01-10", "CT");

  HttpResponse found = Get("/dicomweb/studies?PatientName=" + Encode("батбаяр*"), rad_);
  ASSERT_EQ(Uids(found), std::vector<std::string>{study_uid});
  const auto& study = found.json[0];
  EXPECT_EQ(study["00100010"]["vr"], "PN");
  EXPECT_EQ(study["00100010"]["Value"][0]["Alphabetic"], "БАТБАЯР^ДОРЖ");
  EXPECT_EQ(study["00201208"]["Value"][0], 2);
  EXPECT_EQ(study["00201206"]["Value"][0], 1);
  EXPECT_EQ(study["00080061"]["Value"][0], "CT");
  EXPECT_EQ(study["00081190"]["Value"][0], "/dicomweb/studies/" + study_uid);

  // Exact (no wildcard): the whole name, any case; a part of it is no match.
  EXPECT_EQ(Uids(Get("/dicomweb/studies?PatientName=" + Encode("батбаяр^дорж"), rad_)),
            std::vector<std::string>{study_uid});
  EXPECT_TRUE(Uids(Get("/dicomweb/studies?PatientName=" + Encode("батбаяр"), rad_)).empty());
  // '?' is one character (a Cyrillic letter is two bytes); infix via '*'.
  EXPECT_EQ(Uids(Get("/dicomweb/studies?00100010=" + Encode("?атбаяр*"), rad_)),
            std::vector<std::string>{study_uid});
  EXPECT_EQ(Uids(Get("/dicomweb/studies?PatientName=" + Encode("*^дорж"), rad_)),
            std::vector<std::string>{study_uid});
  // Fuzzy: the start of any component; "дорж" starts the given name of one and the
  // family name of the other.
  EXPECT_EQ(
      Uids(Get("/dicomweb/studies?fuzzymatching=true&PatientName=" + Encode("дорж"), rad_)).size(),
      2u);

  // Its series and instances, from the index.
  HttpResponse series = Get("/dicomweb/studies/" + study_uid + "/series", rad_);
  ASSERT_EQ(series.status, 200) << series.body;
  ASSERT_EQ(series.json.size(), 1u);
  const std::string series_uid = series.json[0]["0020000E"]["Value"][0];
  EXPECT_EQ(series.json[0]["00080060"]["Value"][0], "CT");
  EXPECT_EQ(series.json[0]["00201209"]["Value"][0], 2);
  HttpResponse instances =
      Get("/dicomweb/studies/" + study_uid + "/series/" + series_uid + "/instances", rad_);
  ASSERT_EQ(instances.status, 200) << instances.body;
  ASSERT_EQ(instances.json.size(), 2u);
  std::vector<std::string> sops;
  for (const std::string& f : FilesIn(dir)) sops.push_back(SopInstanceUidOf(f));
  for (const auto& item : instances.json) {
    const std::string sop = item["00080018"]["Value"][0];
    EXPECT_NE(std::find(sops.begin(), sops.end(), sop), sops.end());
    EXPECT_EQ(item["00081190"]["Value"][0],
              "/dicomweb/studies/" + study_uid + "/series/" + series_uid + "/instances/" + sop);
    EXPECT_EQ(item["00080016"]["vr"], "UI");
  }
  HttpResponse study_instances = Get("/dicomweb/studies/" + study_uid + "/instances", rad_);
  EXPECT_EQ(study_instances.json.size(), 2u) << study_instances.body;
  // One of them by its number (instance numbers start at 1 in the generator).
  const std::string one = instances.json[0]["00080018"]["Value"][0];
  EXPECT_EQ(Uids(Get("/dicomweb/studies/" + study_uid + "/instances?SOPInstanceUID=" + one, rad_),
                 "00080018"),
            std::vector<std::string>{one});
}

TEST_F(QidoTest, DatesModalitiesKeysAndPaging) {
  AddStudy("1.2.9.1", "ONE^A", "2024-12-31", "CT");
  AddStudy("1.2.9.2", "TWO^B", "2025-01-01", "MR");
  AddStudy("1.2.9.3", "THREE^C", "2025-01-15", "DX");
  AddStudy("1.2.9.4", "FOUR^D", "2025-01-31", "CT");
  AddStudy("1.2.9.5", "FIVE^E", "2025-02-01", "CR");

  // Newest first.
  EXPECT_EQ(Uids(Get("/dicomweb/studies", rad_)),
            (std::vector<std::string>{"1.2.9.5", "1.2.9.4", "1.2.9.3", "1.2.9.2", "1.2.9.1"}));
  EXPECT_EQ(Uids(Get("/dicomweb/studies?StudyDate=20250101-20250131", rad_)),
            (std::vector<std::string>{"1.2.9.4", "1.2.9.3", "1.2.9.2"}));
  EXPECT_EQ(Uids(Get("/dicomweb/studies?StudyDate=20250131-", rad_)),
            (std::vector<std::string>{"1.2.9.5", "1.2.9.4"}));
  EXPECT_EQ(Uids(Get("/dicomweb/studies?StudyDate=-20250101", rad_)),
            (std::vector<std::string>{"1.2.9.2", "1.2.9.1"}));
  EXPECT_EQ(Uids(Get("/dicomweb/studies?00080020=20250115", rad_)),
            std::vector<std::string>{"1.2.9.3"});
  EXPECT_EQ(Uids(Get("/dicomweb/studies?ModalitiesInStudy=MR,DX", rad_)),
            (std::vector<std::string>{"1.2.9.3", "1.2.9.2"}));
  EXPECT_EQ(Uids(Get("/dicomweb/studies?StudyInstanceUID=1.2.9.1%5C1.2.9.5", rad_)),
            (std::vector<std::string>{"1.2.9.5", "1.2.9.1"}));
  EXPECT_EQ(Uids(Get("/dicomweb/studies?PatientID=PID-1.2.9.2", rad_)),
            std::vector<std::string>{"1.2.9.2"});
  EXPECT_EQ(Uids(Get("/dicomweb/studies?AccessionNumber=ACC-1.2.9.4", rad_)),
            std::vector<std::string>{"1.2.9.4"});
  EXPECT_EQ(Uids(Get("/dicomweb/studies?StudyDescription=" + Encode("ct head 1.2.9.3"), rad_)),
            std::vector<std::string>{"1.2.9.3"});
  EXPECT_EQ(Uids(Get("/dicomweb/studies?StudyDescription=" + Encode("*9.1"), rad_)),
            std::vector<std::string>{"1.2.9.1"});
  EXPECT_EQ(Uids(Get("/dicomweb/studies?limit=2&offset=1", rad_)),
            (std::vector<std::string>{"1.2.9.4", "1.2.9.3"}));
  EXPECT_TRUE(Uids(Get("/dicomweb/studies?offset=5", rad_)).empty());
  // Series keys under a study.
  EXPECT_EQ(Uids(Get("/dicomweb/studies/1.2.9.2/series?Modality=MR", rad_), "0020000E"),
            std::vector<std::string>{"1.2.9.2.1"});
  EXPECT_TRUE(Uids(Get("/dicomweb/studies/1.2.9.2/series?Modality=CT", rad_)).empty());
  EXPECT_EQ(Uids(Get("/dicomweb/studies/1.2.9.2/series?SeriesNumber=1", rad_), "0020000E"),
            std::vector<std::string>{"1.2.9.2.1"});
}

TEST_F(QidoTest, BadParametersAreNamedIn400) {
  for (const auto& [query, name] :
       std::vector<std::pair<std::string, std::string>>{{"PatientNmae=X", "PatientNmae"},
                                                        {"StudyDate=2025-01-01", "StudyDate"},
                                                        {"limit=0", "limit"},
                                                        {"limit=1001", "limit"},
                                                        {"offset=-3", "offset"},
                                                        {"includefield=Nonsense", "includefield"},
                                                        {"Modality=CT", "Modality"},
                                                        {"fuzzymatching=maybe", "fuzzymatching"},
                                                        {"PatientName=%FF", "PatientName"}}) {
    HttpResponse r = Get("/dicomweb/studies?" + query, rad_);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(r.json["error"]["code"], "invalid_argument") << query;
    EXPECT_NE(r.json["error"]["message"].get<std::string>().find(name), std::string::npos)
        << query << ": " << r.body;
  }
}

TEST_F(QidoTest, AcceptIsDicomJsonOrJson) {
  const int port = server_->http_port;
  for (const char* accept : {"Accept: application/dicom+json", "Accept: application/json",
                             "Accept: */*", "Accept: application/*; q=0.5",
                             "Accept: application/dicom+xml, application/dicom+json;q=0.1"}) {
    HttpResponse r = Http("GET", port, "/dicomweb/studies", "", rad_, {accept});
    EXPECT_EQ(r.status, 200) << accept;
    EXPECT_TRUE(r.json.is_array()) << accept;
  }
  for (const char* accept : {"Accept: application/dicom+xml", "Accept: text/html",
                             "Accept: multipart/related; type=application/dicom"})
    EXPECT_EQ(Http("GET", port, "/dicomweb/studies", "", rad_, {accept}).status, 406) << accept;
  // A q out of range is a malformed Accept: the API's JSON 400, not Pistache's plain 415
  // (raw_headers_parser.h).
  HttpResponse malformed =
      Http("GET", port, "/dicomweb/studies", "", rad_, {"Accept: application/json;q=7"});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.json["error"]["code"], "invalid_argument") << malformed.body;
}

TEST_F(QidoTest, IncludeFieldComesFromTheStoredMetadataOfOneInstance) {
  const std::string study_id = AddStudy("1.2.9.7", "META^M", "2025-03-01", "CT");
  const std::string instance_id = db_.Scalar(
      "INSERT INTO instance (series_id, sop_instance_uid, sop_class_uid, transfer_syntax_uid,"
      " instance_number, size_bytes, storage_key, rows, columns, bits_allocated,"
      " number_of_frames) SELECT id, '1.2.9.7.1.1', '1.2.840.10008.5.1.4.1.1.2',"
      " '1.2.840.10008.1.2.1', 1, 100, 'k', 512, 512, 16, 1 FROM series WHERE study_id = " +
      study_id + " RETURNING id");
  db_.Scalar(
      "INSERT INTO instance_metadata (instance_id, dicom_json) VALUES (" + instance_id +
      R"(, '{"00180015":{"vr":"CS","Value":["HEAD"]},"00101010":{"vr":"AS","Value":["045Y"]},)"
      R"("7FE00010":{"vr":"OW","BulkDataURI":"/b"}}'))");
  HttpResponse one =
      Get("/dicomweb/studies?StudyInstanceUID=1.2.9.7&includefield=BodyPartExamined", rad_);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json[0]["00180015"]["Value"][0], "HEAD");
  EXPECT_FALSE(one.json[0].contains("00101010"));
  HttpResponse all = Get("/dicomweb/studies?StudyInstanceUID=1.2.9.7&includefield=all", rad_);
  EXPECT_EQ(all.json[0]["00101010"]["Value"][0], "045Y");
  EXPECT_FALSE(all.json[0].contains("7FE00010"));
  // At the instance level, the instance's own columns and metadata.
  HttpResponse instance =
      Get("/dicomweb/studies/1.2.9.7/instances?includefield=00180015,00101010", rad_);
  ASSERT_EQ(instance.status, 200) << instance.body;
  EXPECT_EQ(instance.json[0]["00280010"]["Value"][0], 512);
  EXPECT_EQ(instance.json[0]["00280100"]["Value"][0], 16);
  EXPECT_EQ(instance.json[0]["00101010"]["Value"][0], "045Y");
  // A study without stored metadata simply lacks the attribute.
  AddStudy("1.2.9.8", "BARE^B", "2025-03-02", "CT");
  HttpResponse bare = Get("/dicomweb/studies?StudyInstanceUID=1.2.9.8&includefield=00180015", rad_);
  ASSERT_EQ(bare.json.size(), 1u) << bare.body;
  EXPECT_FALSE(bare.json[0].contains("00180015"));
}

TEST_F(QidoTest, FacilitiesSeeTheirOwnStudiesOnlyMinistryNone) {
  AddStudy("1.2.9.1", "DEMO^ONE", "2025-01-10", "CT", "DEMO");
  AddStudy("1.2.9.2", "OTHER^TWO", "2025-01-11", "CT", "OTHER");
  const std::string fac1 = Login(server_->http_port, "fac1");
  const std::string fac2 = Login(server_->http_port, "fac2");
  EXPECT_EQ(Uids(Get("/dicomweb/studies", fac1)), std::vector<std::string>{"1.2.9.1"});
  EXPECT_EQ(Uids(Get("/dicomweb/studies", fac2)), std::vector<std::string>{"1.2.9.2"});
  // Another facility's UID is simply absent, at every level.
  EXPECT_TRUE(Uids(Get("/dicomweb/studies?StudyInstanceUID=1.2.9.1", fac2)).empty());
  EXPECT_EQ(Get("/dicomweb/studies/1.2.9.1/series", fac2).body, "[]");
  EXPECT_EQ(Get("/dicomweb/studies/1.2.9.1/instances", fac2).body, "[]");
  EXPECT_EQ(Uids(Get("/dicomweb/studies", rad_)).size(), 2u);

  HttpResponse ministry = Get("/dicomweb/studies", Login(server_->http_port, "ministry1"));
  EXPECT_EQ(ministry.status, 403);
  EXPECT_EQ(ministry.json["error"]["code"], "permission_denied");
  EXPECT_EQ(Get("/dicomweb/studies", "").status, 401);
}

TEST_F(QidoTest, TheAuditEntryNamesTheStudiesShown) {
  AddStudy("1.2.9.1", "AUDIT^ONE", "2025-01-10", "CT");
  AddStudy("1.2.9.2", "AUDIT^TWO", "2025-01-11", "CT");
  ASSERT_EQ(Uids(Get("/dicomweb/studies?PatientName=AUDIT*", rad_)).size(), 2u);
  const std::string where =
      "action = 'dicomweb.search' AND username = 'rad1' AND outcome = 'success'";
  std::string ids;
  for (int i = 0; i < 100 && ids.empty(); ++i) {
    ids = db_.Scalar("SELECT array_to_string(returned_ids, ',') FROM audit_event WHERE " + where);
    if (ids.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(ids, "1.2.9.1,1.2.9.2");  // name order: a prefix search
  // No patient data in the server's log.
  EXPECT_EQ(server_->Log().find("AUDIT^"), std::string::npos);
}

}  // namespace
}  // namespace telerad::testing
