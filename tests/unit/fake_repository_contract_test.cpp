// The repository contract suites (tests/contract/) run against the in-memory fakes the
// unit tests use; tests/integration/pg_repository_contract_test.cpp runs the same cases
// against PostgreSQL.
#include <gtest/gtest.h>

#include "tests/contract/code_list_repository_contract.h"
#include "tests/contract/consultation_repository_contract.h"
#include "tests/contract/facility_repository_contract.h"
#include "tests/contract/report_repository_contract.h"
#include "tests/contract/study_claim_contract.h"
#include "tests/contract/study_index_contract.h"
#include "tests/contract/study_worklist_contract.h"
#include "tests/contract/template_repository_contract.h"
#include "tests/fakes/fake_code_list_repository.h"
#include "tests/fakes/fake_consultation_repository.h"
#include "tests/fakes/fake_facility_repository.h"
#include "tests/fakes/fake_report_repository.h"
#include "tests/fakes/fake_study_repository.h"
#include "tests/fakes/fake_template_repository.h"
#include "tests/unit/fake_clock.h"

namespace telerad::contract {
namespace {

// Fresh fakes sharing one FakeClock, which stands still.
class FakeEnv {
 public:
  StudyRepository& studies() { return studies_; }
  ReportRepository& reports() { return reports_; }
  FacilityRepository& facilities() { return facilities_; }
  ConsultationRepository& consultations() { return consultations_; }
  TemplateRepository& templates() { return templates_; }
  CodeListRepository& code_lists() { return code_lists_; }
  int64_t AddUser(const std::string& username, const std::string&, std::optional<int64_t>) {
    studies_.usernames[next_user_id_] = username;
    consultations_.usernames[next_user_id_] = username;
    return next_user_id_++;
  }
  std::vector<AuditEntry> AuditTrail() { return audit_.entries; }
  void FailAuditAppends() { audit_.fail = true; }

 private:
  FakeClock clock_;
  FakeFacilityRepository facilities_;
  FakeStudyRepository studies_{clock_, &facilities_};
  FakeReportRepository reports_{studies_};
  FakeConsultationRepository consultations_{clock_, &facilities_};
  FakeTemplateRepository templates_;
  FakeCodeListRepository code_lists_;
  int64_t next_user_id_ = 1;
  // One trail for every fake, as one audit_event table for every repository.
  FakeAuditLog audit_;

 public:
  FakeEnv() {
    facilities_.audit_log = &audit_;
    studies_.audit_log = &audit_;
    reports_.audit_log = &audit_;
    consultations_.audit_log = &audit_;
    templates_.audit_log = &audit_;
    code_lists_.audit_log = &audit_;
  }
};

// The prefix names implementation and suite: ctest's name for a case keeps only the
// prefix ("FakeStudyIndex.RepeatedInstanceChangesNothing<0>").
INSTANTIATE_TYPED_TEST_SUITE_P(FakeStudyIndex, StudyIndexContract, FakeEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(FakeStudyWorklist, StudyWorklistContract, FakeEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(FakeStudyClaim, StudyClaimContract, FakeEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(FakeReports, ReportRepositoryContract, FakeEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(FakeFacilities, FacilityRepositoryContract, FakeEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(FakeConsultations, ConsultationRepositoryContract, FakeEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(FakeTemplates, TemplateRepositoryContract, FakeEnv);
INSTANTIATE_TYPED_TEST_SUITE_P(FakeCodeLists, CodeListRepositoryContract, FakeEnv);

}  // namespace
}  // namespace telerad::contract
