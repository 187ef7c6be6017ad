// TemplateService over the fake repository: who may read and change templates, the
// validation of each field, the version an edit must name, and the audit of changes.
#include "src/vocabulary/template_service.h"

#include <gtest/gtest.h>

#include "tests/fakes/fake_template_repository.h"
#include "tests/test_audit.h"

namespace telerad {
namespace {

Principal As(Role role, const std::string& username) {
  Principal p;
  p.user_id = 7;
  p.username = username;
  p.role = role;
  return p;
}

ReportTemplate Valid() {
  ReportTemplate t;
  t.name = "  Тархины КТ — хэвийн ";
  t.language = "mn";
  t.modality_class = "ct";
  t.body_part = " head";
  t.findings = "Тархины бодист голомтот өөрчлөлт илрээгүй.\r\n\tХовдол өргөсөөгүй.";
  t.impression = "Тархины КТ-д цочмог эмгэг өөрчлөлт илрээгүй.";
  return t;
}

class TemplateServiceTest : public ::testing::Test {
 protected:
  FakeTemplateRepository repo_;
  TemplateService service_{repo_};
  const Principal admin_ = As(Role::kAdmin, "admin");
  const Principal rad_ = As(Role::kRadiologist, "rad1");
};

TEST(ValidateTemplate, NormalisesAndAcceptsARealisticTemplate) {
  ReportTemplate t = Valid();
  ASSERT_TRUE(ValidateTemplate(t).ok());
  EXPECT_EQ(t.name, "Тархины КТ — хэвийн");
  EXPECT_EQ(t.modality_class, "CT");
  EXPECT_EQ(t.body_part, "HEAD");
  t.modality_class = "";  // any
  t.body_part = "";
  EXPECT_TRUE(ValidateTemplate(t).ok());
  t.findings = "";  // an impression alone is enough
  EXPECT_TRUE(ValidateTemplate(t).ok());
  t.body_part = "LOWER_LIMB 2";
  EXPECT_TRUE(ValidateTemplate(t).ok());
}

TEST(ValidateTemplate, RefusesEachBadFieldNamingIt) {
  auto field_error = [](void (*change)(ReportTemplate&)) {
    ReportTemplate t = Valid();
    change(t);
    Status s = ValidateTemplate(t);
    EXPECT_EQ(s.code(), StatusCode::kUnprocessable);
    return s.message();
  };
  auto names = [](const std::string& message, const char* field) {
    return message.find(field) != std::string::npos;
  };
  EXPECT_TRUE(names(field_error([](ReportTemplate& t) { t.name = "   "; }), "name"));
  EXPECT_TRUE(
      names(field_error([](ReportTemplate& t) { t.name = std::string(201, 'a'); }), "name"));
  EXPECT_TRUE(names(field_error([](ReportTemplate& t) { t.name = "a\tb"; }), "name"));
  EXPECT_TRUE(names(field_error([](ReportTemplate& t) { t.language = "ru"; }), "language"));
  EXPECT_TRUE(names(field_error([](ReportTemplate& t) { t.language = ""; }), "language"));
  EXPECT_TRUE(
      names(field_error([](ReportTemplate& t) { t.modality_class = "MR"; }), "modality_class"));
  EXPECT_TRUE(names(field_error([](ReportTemplate& t) { t.body_part = "ТОЛГОЙ"; }), "body_part"));
  EXPECT_TRUE(names(field_error([](ReportTemplate& t) { t.body_part = std::string(17, 'A'); }),
                    "body_part"));
  EXPECT_TRUE(
      names(field_error([](ReportTemplate& t) { t.body_part = "HEAD-NECK"; }), "body_part"));
  EXPECT_TRUE(names(field_error([](ReportTemplate& t) { t.findings = std::string(65537, 'x'); }),
                    "findings"));
  EXPECT_TRUE(names(field_error([](ReportTemplate& t) { t.impression = "a\x01"; }), "impression"));
  EXPECT_TRUE(names(field_error([](ReportTemplate& t) {
                      t.findings = " ";
                      t.impression = "\n";
                    }),
                    "findings"));
}

TEST_F(TemplateServiceTest, OnlyAdminsChangeTemplatesAndEachChangeIsAudited) {
  for (Role role : {Role::kRadiologist, Role::kFacility, Role::kMinistry, Role::kSpecialist}) {
    EXPECT_EQ(service_.Create(As(role, "x"), Valid(), Audit()).status().code(),
              StatusCode::kPermissionDenied);
  }
  EXPECT_TRUE(repo_.by_id.empty());
  auto created = service_.Create(admin_, Valid(), Audit());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->updated_by, "admin");
  EXPECT_EQ(created->modality_class, "CT");  // stored normalised
  EXPECT_EQ(repo_.own_audit_log.entries.size(), 1u);
  ReportTemplate edit = *created;
  EXPECT_EQ(service_.Update(rad_, edit, 1, Audit()).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.Delete(rad_, created->id, Audit()).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(repo_.own_audit_log.entries.size(), 1u);
  ASSERT_TRUE(service_.Delete(admin_, created->id, Audit()).ok());
  EXPECT_EQ(repo_.own_audit_log.entries.size(), 2u);
}

TEST_F(TemplateServiceTest, AnEditMustNameTheCurrentVersion) {
  auto created = service_.Create(admin_, Valid(), Audit());
  ASSERT_TRUE(created.ok());
  ReportTemplate edit = *created;
  edit.impression = "Шинэ дүгнэлт.";
  EXPECT_EQ(service_.Update(admin_, edit, std::nullopt, Audit()).status().code(),
            StatusCode::kFailedPrecondition);
  auto v2 = service_.Update(admin_, edit, 1, Audit());
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(service_.Update(admin_, edit, 1, Audit()).status().code(),
            StatusCode::kFailedPrecondition);
  edit.language = "de";  // validation comes before the version
  EXPECT_EQ(service_.Update(admin_, edit, 2, Audit()).status().code(), StatusCode::kUnprocessable);
}

TEST_F(TemplateServiceTest, RadiologistsReadActiveTemplatesAdminsAllOthersNone) {
  auto active = service_.Create(admin_, Valid(), Audit());
  ReportTemplate old = Valid();
  old.name = "Хуучин";
  old.active = false;
  auto inactive = service_.Create(admin_, old, Audit());
  ASSERT_TRUE(active.ok() && inactive.ok());

  TemplateFilter filter;
  filter.modality_class = "ct";  // upper-cased
  filter.body_part = "head";
  filter.active_only = false;  // a radiologist cannot ask for inactive ones
  auto for_rad = service_.List(rad_, filter);
  ASSERT_TRUE(for_rad.ok()) << for_rad.status().ToString();
  ASSERT_EQ(for_rad->size(), 1u);
  EXPECT_EQ((*for_rad)[0].id, active->id);
  auto for_admin = service_.List(admin_, TemplateFilter{});
  ASSERT_TRUE(for_admin.ok());
  EXPECT_EQ(for_admin->size(), 2u);
  for (Role role : {Role::kFacility, Role::kMinistry, Role::kSpecialist})
    EXPECT_EQ(service_.List(As(role, "x"), TemplateFilter{}).status().code(),
              StatusCode::kPermissionDenied);
}

TEST_F(TemplateServiceTest, ABadFilterIsAnInvalidArgument) {
  TemplateFilter bad_language;
  bad_language.language = "english";
  EXPECT_EQ(service_.List(rad_, bad_language).status().code(), StatusCode::kInvalidArgument);
  TemplateFilter bad_modality;
  bad_modality.modality_class = "PET";
  EXPECT_EQ(service_.List(rad_, bad_modality).status().code(), StatusCode::kInvalidArgument);
  TemplateFilter bad_part;
  bad_part.body_part = "";
  EXPECT_EQ(service_.List(rad_, bad_part).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace telerad
