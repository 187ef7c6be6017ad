// The TemplateRepository contract (src/vocabulary/template_repository.h): what Create,
// Update and Delete store and refuse, the list's filters and order, and that a change
// whose audit entry fails does not happen. PostgreSQL starts with the starter templates
// of schema 0015, the fakes with none: the cases look only at the templates they make.
// Instantiate with an environment (contract_env.h) that also has
// `TemplateRepository& templates()`.
#pragma once

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "src/vocabulary/template_repository.h"
#include "tests/contract/contract_env.h"
#include "tests/test_audit.h"

namespace telerad::contract {

template <typename Env>
class TemplateRepositoryContract : public RepositoryContract<Env> {
 protected:
  TemplateRepository& templates() { return this->env_.templates(); }

  static ReportTemplate Template(const std::string& name, const std::string& language,
                                 const std::string& modality, const std::string& body_part) {
    ReportTemplate t;
    t.name = name;
    t.language = language;
    t.modality_class = modality;
    t.body_part = body_part;
    t.findings = "Тархины бодист голомтот өөрчлөлт илрээгүй.\nХовдол өргөсөөгүй.";
    t.impression = "Хэвийн.";
    t.updated_by = "admin";
    return t;
  }

  // Creates `t`; its id.
  int64_t Made(const ReportTemplate& t) {
    auto created = templates().Create(t, Audit());
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    if (created.ok()) made_.insert(created->id);
    return created.ok() ? created->id : 0;
  }

  // The names `filter` lists among the templates this case made, in the list's order.
  std::vector<std::string> Names(const TemplateFilter& filter) {
    auto all = templates().List(filter);
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    std::vector<std::string> names;
    if (all.ok())
      for (const ReportTemplate& t : *all)
        if (made_.count(t.id)) names.push_back(t.name);
    return names;
  }

  std::set<int64_t> made_;
};
TYPED_TEST_SUITE_P(TemplateRepositoryContract);

TYPED_TEST_P(TemplateRepositoryContract, CreateStoresEveryFieldAsVersionOne) {
  AuditEntry entry = this->Entry("report_template.create", "");
  auto created = this->templates().Create(this->Template("Тархины КТ", "mn", "CT", "HEAD"), entry);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_NE(created->id, 0);
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(entry.object_id, std::to_string(created->id));  // named for the trail
  EXPECT_NE(entry.id, 0);
  auto found = this->templates().Find(created->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  const ReportTemplate& t = **found;
  EXPECT_EQ(t.name, "Тархины КТ");
  EXPECT_EQ(t.language, "mn");
  EXPECT_EQ(t.modality_class, "CT");
  EXPECT_EQ(t.body_part, "HEAD");
  EXPECT_EQ(t.findings, "Тархины бодист голомтот өөрчлөлт илрээгүй.\nХовдол өргөсөөгүй.");
  EXPECT_EQ(t.impression, "Хэвийн.");
  EXPECT_TRUE(t.active);
  EXPECT_EQ(t.version, 1);
  EXPECT_EQ(t.updated_by, "admin");
  EXPECT_EQ(t.updated_at, created->updated_at);
  // "" (any) round-trips.
  auto any = this->templates().Create(this->Template("Any", "en", "", ""), Audit());
  ASSERT_TRUE(any.ok()) << any.status().ToString();
  EXPECT_EQ((*this->templates().Find(any->id))->modality_class, "");
  EXPECT_EQ((*this->templates().Find(any->id))->body_part, "");
  EXPECT_FALSE(this->templates().Find(any->id + 1000)->has_value());
  EXPECT_EQ(this->Trail("report_template.create").size(), 1u);
}

TYPED_TEST_P(TemplateRepositoryContract, ANameIsTakenOncePerLanguage) {
  this->Made(this->Template("Normal", "en", "CT", "HEAD"));
  EXPECT_EQ(
      this->templates().Create(this->Template("Normal", "en", "", ""), Audit()).status().code(),
      StatusCode::kConflict);
  this->Made(this->Template("Normal", "mn", "", ""));
  const int64_t other = this->Made(this->Template("Other", "en", "", ""));
  ReportTemplate renamed = this->Template("Normal", "en", "", "");
  renamed.id = other;
  EXPECT_EQ(this->templates().Update(renamed, 1, Audit()).status().code(), StatusCode::kConflict);
  EXPECT_EQ((*this->templates().Find(other))->name, "Other");
}

TYPED_TEST_P(TemplateRepositoryContract, UpdateNeedsTheCurrentVersion) {
  const int64_t id = this->Made(this->Template("Chest", "en", "XRAY", "CHEST"));
  ReportTemplate edit = this->Template("Chest X-ray", "en", "", "EXTREMITY");
  edit.id = id;
  edit.active = false;
  edit.impression = "Normal.";
  edit.updated_by = "admin2";
  auto v2 = this->templates().Update(edit, 1, Audit());
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->version, 2);
  const ReportTemplate stored = **this->templates().Find(id);
  EXPECT_EQ(stored.name, "Chest X-ray");
  EXPECT_EQ(stored.modality_class, "");
  EXPECT_EQ(stored.body_part, "EXTREMITY");
  EXPECT_FALSE(stored.active);
  EXPECT_EQ(stored.impression, "Normal.");
  EXPECT_EQ(stored.updated_by, "admin2");
  EXPECT_EQ(stored.version, 2);

  edit.impression = "stale";
  EXPECT_EQ(this->templates().Update(edit, 1, Audit()).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ((*this->templates().Find(id))->impression, "Normal.");
  EXPECT_EQ((*this->templates().Find(id))->version, 2);
  edit.id = id + 1000;
  EXPECT_EQ(this->templates().Update(edit, 1, Audit()).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->Trail("report_template.update").size(), 0u);  // Audit() has no action
}

TYPED_TEST_P(TemplateRepositoryContract, ListFiltersAndPutsTheSpecificFirst) {
  this->Made(this->Template("mn any", "mn", "", ""));
  this->Made(this->Template("mn CT any", "mn", "CT", ""));
  this->Made(this->Template("mn CT HEAD", "mn", "CT", "HEAD"));
  this->Made(this->Template("mn CT CHEST", "mn", "CT", "CHEST"));
  this->Made(this->Template("mn XRAY CHEST", "mn", "XRAY", "CHEST"));
  this->Made(this->Template("en CT HEAD", "en", "CT", "HEAD"));
  ReportTemplate old = this->Template("mn CT HEAD old", "mn", "CT", "HEAD");
  old.active = false;
  this->Made(old);

  TemplateFilter head;
  head.language = "mn";
  head.modality_class = "CT";
  head.body_part = "HEAD";
  EXPECT_EQ(this->Names(head), (std::vector<std::string>{"mn CT HEAD", "mn CT any", "mn any"}));
  head.active_only = false;
  EXPECT_EQ(this->Names(head),
            (std::vector<std::string>{"mn CT HEAD", "mn CT HEAD old", "mn CT any", "mn any"}));
  TemplateFilter chest;
  chest.body_part = "CHEST";
  EXPECT_EQ(this->Names(chest),
            (std::vector<std::string>{"mn CT CHEST", "mn CT any", "mn XRAY CHEST", "mn any"}));
  TemplateFilter english;
  english.language = "en";
  EXPECT_EQ(this->Names(english), (std::vector<std::string>{"en CT HEAD"}));
  TemplateFilter everything;
  EXPECT_EQ(this->Names(everything).size(), 6u);
  EXPECT_EQ(this->Names(everything).front(), "en CT HEAD");  // by language first
}

TYPED_TEST_P(TemplateRepositoryContract, DeleteRemovesTheTemplate) {
  const int64_t id = this->Made(this->Template("Gone", "en", "", ""));
  AuditEntry entry = this->Entry("report_template.delete", std::to_string(id));
  ASSERT_TRUE(this->templates().Delete(id, entry).ok());
  EXPECT_NE(entry.id, 0);
  EXPECT_FALSE(this->templates().Find(id)->has_value());
  EXPECT_EQ(this->templates().Delete(id, Audit()).code(), StatusCode::kNotFound);
  EXPECT_EQ(this->Trail("report_template.delete").size(), 1u);
}

TYPED_TEST_P(TemplateRepositoryContract, AChangeWhoseAuditEntryFailsDoesNotHappen) {
  const int64_t id = this->Made(this->Template("Kept", "en", "", ""));
  this->env_.FailAuditAppends();
  EXPECT_FALSE(this->templates().Create(this->Template("New", "en", "", ""), Audit()).ok());
  ReportTemplate edit = this->Template("Renamed", "en", "", "");
  edit.id = id;
  EXPECT_FALSE(this->templates().Update(edit, 1, Audit()).ok());
  EXPECT_FALSE(this->templates().Delete(id, Audit()).ok());
  const ReportTemplate kept = **this->templates().Find(id);
  EXPECT_EQ(kept.name, "Kept");
  EXPECT_EQ(kept.version, 1);
  TemplateFilter all;
  all.active_only = false;
  auto listed = this->templates().List(all);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(std::none_of(listed->begin(), listed->end(),
                           [](const ReportTemplate& t) { return t.name == "New"; }));
}

REGISTER_TYPED_TEST_SUITE_P(TemplateRepositoryContract, CreateStoresEveryFieldAsVersionOne,
                            ANameIsTakenOncePerLanguage, UpdateNeedsTheCurrentVersion,
                            ListFiltersAndPutsTheSpecificFirst, DeleteRemovesTheTemplate,
                            AChangeWhoseAuditEntryFailsDoesNotHappen);

}  // namespace telerad::contract
