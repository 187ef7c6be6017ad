// The repository contract suites (tests/contract/) run against PostgreSQL, each case on a
// fresh, migrated database; tests/unit/fake_repository_contract_test.cpp runs the same
// cases against the fakes.
#include <gtest/gtest.h>

#include <cstdlib>

#include "src/pg/pg_audit_repository.h"
#include "src/pg/pg_code_list_repository.h"
#include "src/pg/pg_consultation_repository.h"
#include "src/pg/pg_facility_repository.h"
#include "src/pg/pg_migrator.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_report_repository.h"
#include "src/pg/pg_study_repository.h"
#include "src/pg/pg_template_repository.h"
#include "tests/contract/code_list_repository_contract.h"
#include "tests/contract/consultation_repository_contract.h"
#include "tests/contract/facility_repository_contract.h"
#include "tests/contract/report_repository_contract.h"
#include "tests/contract/study_claim_contract.h"
#include "tests/contract/study_index_contract.h"
#include "tests/contract/study_worklist_contract.h"
#include "tests/contract/template_repository_contract.h"
#include "tests/integration/harness.h"

namespace telerad::contract {
namespace {

class PgEnv {
 public:
  PgEnv()
      : pool_(db_.url(), 4, 5000),
        studies_(pool_),
        reports_(pool_),
        facilities_(pool_),
        consultations_(pool_),
        audit_(pool_),
        templates_(pool_),
        code_lists_(pool_) {
    auto migrated = PgMigrator(pool_, testing::SchemaDir()).Apply();
    if (!migrated.ok()) ADD_FAILURE() << migrated.status().ToString();
  }
  StudyRepository& studies() { return studies_; }
  ReportRepository& reports() { return reports_; }
  FacilityRepository& facilities() { return facilities_; }
  ConsultationRepository& consultations() { return consultations_; }
  TemplateRepository& templates() { return templates_; }
  CodeListRepository& code_lists() { return code_lists_; }
  // Usernames and roles come from the contracts, never from input.
  int64_t AddUser(const std::string& username, const std::string& role,
                  std::optional<int64_t> facility_id) {
    const std::string facility = facility_id ? std::to_string(*facility_id) : "NULL";
    return std::stoll(
        db_.Scalar("INSERT INTO app_user (username, role, facility_id, password_hash) VALUES ('" +
                   username + "', '" + role + "', " + facility + ", 'not-a-hash') RETURNING id"));
  }
  std::vector<AuditEntry> AuditTrail() {
    AuditQuery q;
    q.limit = 500;
    auto page = audit_.List(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) return {};
    return std::vector<AuditEntry>(page->items.rbegin(), page->items.rend());
  }
  // As the database owner, a trigger that refuses every insert into the trail.
  void FailAuditAppends() {
    db_.Scalar(
        "CREATE FUNCTION contract_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS"
        " $$BEGIN RAISE EXCEPTION 'audit insert refused by the contract'; END$$;"
        " CREATE TRIGGER contract_refuse_audit BEFORE INSERT ON audit_event"
        " FOR EACH ROW EXECUTE FUNCTION contract_refuse_audit()");
  }

 private:
  testing::TestDatabase db_;
  PgPool pool_;
  PgStudyRepository studies_;
  PgReportRepository reports_;
  PgFacilityRepository facilities_;
  PgConsultationRepository consultations_;
  PgAuditRepository audit_;
  PgTemplateRepository templates_;
  PgCodeListRepository code_lists_;
};

// The prefix names implementation and suite: ctest's name for a case keeps only the
// prefix ("PgStudyIndex.RepeatedInstanceChangesNothing<0>").
INSTANTIATE_TYPED_TEST_SUITE_P(PgStudyIndex, StudyIndexContract, PgEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(PgStudyWorklist, StudyWorklistContract, PgEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(PgStudyClaim, StudyClaimContract, PgEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(PgReports, ReportRepositoryContract, PgEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(PgFacilities, FacilityRepositoryContract, PgEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(PgConsultations, ConsultationRepositoryContract, PgEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(PgTemplates, TemplateRepositoryContract, PgEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(PgCodeLists, CodeListRepositoryContract, PgEnv);

}  // namespace
}  // namespace telerad::contract
