#include "src/accounts/admin_service.h"

#include <gtest/gtest.h>

#include <functional>

#include "tests/unit/fakes.h"

namespace telerad {
namespace {

Facility Valid() {
  Facility f;
  f.code = "GA-TAISHIR";
  f.name = "Тайшир сумын ЭМТ";
  f.aimag = "Говь-Алтай";
  f.soum = "Тайшир";
  f.ae_title = "TAISHIR_CR";
  return f;
}

TEST(ValidateFacility, AcceptsARealisticSoumHealthCentre) {
  EXPECT_TRUE(ValidateFacility(Valid()).ok());
  Facility f = Valid();
  f.return_dicom = ReturnDicom{"pacs.taishir.mn", 104, "TAISHIR_PACS"};
  EXPECT_TRUE(ValidateFacility(f).ok());
  f.return_dicom = ReturnDicom{"fd00::5", 11112, "PACS"};
  EXPECT_TRUE(ValidateFacility(f).ok());
}

TEST(ValidateFacility, RefusesEachBadFieldNamingIt) {
  auto field_error = [](void (*change)(Facility&)) {
    Facility f = Valid();
    change(f);
    Status s = ValidateFacility(f);
    EXPECT_EQ(s.code(), StatusCode::kUnprocessable);
    return s.message();
  };
  EXPECT_NE(field_error([](Facility& f) { f.code = "a b"; }).find("code"), std::string::npos);
  EXPECT_NE(field_error([](Facility& f) { f.code = ""; }).find("code"), std::string::npos);
  EXPECT_NE(field_error([](Facility& f) { f.name = ""; }).find("name"), std::string::npos);
  EXPECT_NE(field_error([](Facility& f) { f.aimag = "a\nb"; }).find("aimag"), std::string::npos);
  EXPECT_NE(field_error([](Facility& f) { f.ae_title = "SEVENTEEN_CHARS_X"; }).find("ae_title"),
            std::string::npos);
  EXPECT_NE(field_error([](Facility& f) { f.ae_title = "BACK\\SLASH"; }).find("ae_title"),
            std::string::npos);
  EXPECT_NE(field_error([](Facility& f) { f.ae_title = "   "; }).find("ae_title"),
            std::string::npos);
  EXPECT_NE(field_error([](Facility& f) {
              f.return_dicom = ReturnDicom{"host; rm -rf /", 104, "PACS"};
            }).find("host"),
            std::string::npos);
  EXPECT_NE(field_error([](Facility& f) {
              f.return_dicom = ReturnDicom{"pacs", 0, "PACS"};
            }).find("port"),
            std::string::npos);
}

TEST(ValidateUsernameAndPassword, Rules) {
  EXPECT_TRUE(ValidateUsername("rad.bat-erdene_2").ok());
  for (const char* bad : {"", "a", "Rad1", "rad 1", "рад1"})
    EXPECT_FALSE(ValidateUsername(bad).ok()) << bad;
  EXPECT_TRUE(ValidatePassword("Говь-Алтай 2025").ok());
  EXPECT_FALSE(ValidatePassword("short").ok());
  EXPECT_FALSE(ValidatePassword(std::string(2000, 'x')).ok());
}

}  // namespace
}  // namespace telerad

namespace telerad {
namespace {

// The account side of AdminService, which the facility tests below never reach.
class NoUsers : public UserRepository {
 public:
  Result<std::optional<UserRecord>> FindByUsername(const std::string&) override { return No(); }
  Result<UserRecord> CreateIfAbsent(const UserRecord&) override { return No(); }
  Status CreateSession(const std::string&, int64_t, const std::string&, TimePoint,
                       AuditEntry&) override {
    return No();
  }
  Result<std::optional<Principal>> FindSession(const std::string&) override { return No(); }
  Result<int> CountDemoUsers() override { return No(); }
  Status RevokeSession(const std::string&, AuditEntry&) override { return No(); }
  Result<std::optional<TimePoint>> LockedUntil(const std::string&) override { return No(); }
  Status RecordFailedLogin(const std::string&, int, std::chrono::seconds) override { return No(); }
  Status ClearFailedLogins(const std::string&) override { return No(); }
  Result<int> ForgetQuietFailedLogins() override { return No(); }
  Result<std::vector<UserRecord>> List() override { return No(); }
  Result<UserRecord> Create(const UserRecord&, AuditEntry&) override { return No(); }
  Result<UserRecord> Update(const std::string&, std::optional<bool>, std::optional<std::string>,
                            AuditEntry&) override {
    return No();
  }

 private:
  static Status No() { return Status::Internal("no accounts in this test"); }
};

class NoHasher : public PasswordHasher {
 public:
  Result<std::string> Hash(const std::string&) override { return Status::Internal("unused"); }
  Result<bool> Verify(const std::string&, const std::string&) override {
    return Status::Internal("unused");
  }
};

class AdminFacilityChangeTest : public ::testing::Test {
 protected:
  AdminFacilityChangeTest() {
    admin_.role = Role::kAdmin;
    admin_.username = "admin";
    AuditEntry audit;
    EXPECT_TRUE(facilities_.Create(Valid(), audit).ok());
  }
  Facility Stored() { return **facilities_.FindByCode(Valid().code); }

  FakeFacilityRepository facilities_;
  NoUsers users_;
  NoHasher hasher_;
  AdminService admin_service_{facilities_, users_, hasher_};
  Principal admin_;
  AuditEntry audit_;
};

TEST_F(AdminFacilityChangeTest, AChangeLandingBetweenTheReadAndTheWriteIsMergedNotOverwritten) {
  // Another admin renames the facility just after this change read it.
  facilities_.before_update = [this] {
    Facility theirs = Stored();
    theirs.name = "Тайшир сумын эрүүл мэндийн төв";
    ASSERT_TRUE(facilities_.Upsert(theirs).ok());
  };
  FacilityChange change;
  change.active = false;
  auto changed = admin_service_.ChangeFacility(admin_, Valid().code, change, std::nullopt, audit_);
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  const Facility now = Stored();
  EXPECT_EQ(now.name, "Тайшир сумын эрүүл мэндийн төв");  // theirs kept
  EXPECT_FALSE(now.active);                               // and ours
  EXPECT_EQ(now.version, 3);
  EXPECT_EQ(changed->version, 3);
  EXPECT_EQ(facilities_.own_audit_log.entries.size(), 2u);  // the creation and one change
}

TEST_F(AdminFacilityChangeTest, AnEntryThatKeepsMovingIsAConflictNotAPrecondition) {
  // Every write finds the entry changed again: after a few merges the change gives up,
  // with 409 (the client named no version, so no precondition of its failed).
  std::function<void()> another_change = [this, &another_change] {
    ASSERT_TRUE(facilities_.Upsert(Stored()).ok());
    facilities_.before_update = another_change;
  };
  facilities_.before_update = another_change;
  FacilityChange change;
  change.active = false;
  EXPECT_EQ(admin_service_.ChangeFacility(admin_, Valid().code, change, std::nullopt, audit_)
                .status()
                .code(),
            StatusCode::kConflict);
  facilities_.before_update = nullptr;
  EXPECT_TRUE(Stored().active);
  EXPECT_EQ(facilities_.own_audit_log.entries.size(), 1u);  // the creation only
}

TEST_F(AdminFacilityChangeTest, AChangeMadeToAnOlderVersionIsRefusedAndChangesNothing) {
  FacilityChange rename;
  rename.name = "Шинэ нэр";
  ASSERT_TRUE(admin_service_.ChangeFacility(admin_, Valid().code, rename, 1, audit_).ok());
  EXPECT_EQ(Stored().version, 2);
  FacilityChange stale;
  stale.soum = "Хөх морьт";
  EXPECT_EQ(admin_service_.ChangeFacility(admin_, Valid().code, stale, 1, audit_).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Stored().soum, "Тайшир");
  EXPECT_EQ(Stored().version, 2);
  // The version named, then moved on between the read and the write: refused too.
  facilities_.before_update = [this] { ASSERT_TRUE(facilities_.Upsert(Stored()).ok()); };
  EXPECT_EQ(admin_service_.ChangeFacility(admin_, Valid().code, stale, 2, audit_).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Stored().soum, "Тайшир");
}

}  // namespace
}  // namespace telerad
