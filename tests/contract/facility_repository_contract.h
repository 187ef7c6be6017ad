// The FacilityRepository contract (src/index/facility_repository.h): ids, the uniqueness
// of code and AE title, what Update and Upsert replace, lookups and the list order. The
// fixture has already created facilities A (A_SCU) and B (B_SCU). Instantiate with an
// environment (contract_env.h):
//   INSTANTIATE_TYPED_TEST_SUITE_P(FakeFacilities, FacilityRepositoryContract, FakeEnv);
#pragma once

#include <string>
#include <vector>

#include "tests/contract/contract_env.h"
#include "tests/test_audit.h"

namespace telerad::contract {

template <typename Env>
class FacilityRepositoryContract : public RepositoryContract<Env> {
 protected:
  FacilityRepository& facilities() { return this->env_.facilities(); }

  static Facility Named(const std::string& code, const std::string& ae_title) {
    Facility f;
    f.code = code;
    f.name = "Facility " + code;
    f.aimag = "Ховд";
    f.soum = "Жаргалант";
    f.ae_title = ae_title;
    return f;
  }
};
TYPED_TEST_SUITE_P(FacilityRepositoryContract);

TYPED_TEST_P(FacilityRepositoryContract, CreateGivesAnIdAndStoresEveryField) {
  Facility f = this->Named("C", "C_SCU");
  f.active = false;
  f.return_dicom = ReturnDicom{"pacs.example", 104, "C_PACS"};
  auto created = this->facilities().Create(f, Audit());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_NE(created->id, 0);
  EXPECT_NE(created->id, this->facility_.id);
  EXPECT_NE(created->id, this->other_.id);
  auto found = this->facilities().FindByCode("C");
  ASSERT_TRUE(found.ok() && found->has_value());
  const Facility& c = **found;
  EXPECT_EQ(c.id, created->id);
  EXPECT_EQ(c.name, "Facility C");
  EXPECT_EQ(c.aimag, "Ховд");
  EXPECT_EQ(c.soum, "Жаргалант");
  EXPECT_EQ(c.ae_title, "C_SCU");
  EXPECT_FALSE(c.active);
  ASSERT_TRUE(c.return_dicom.has_value());
  EXPECT_EQ(c.return_dicom->host, "pacs.example");
  EXPECT_EQ(c.return_dicom->port, 104);
  EXPECT_EQ(c.return_dicom->ae_title, "C_PACS");
  auto by_ae = this->facilities().FindByAeTitle("C_SCU");  // inactive ones too
  ASSERT_TRUE(by_ae.ok() && by_ae->has_value());
  EXPECT_EQ((*by_ae)->code, "C");
}

TYPED_TEST_P(FacilityRepositoryContract, ATakenCodeOrAeTitleIsAConflict) {
  EXPECT_EQ(this->facilities().Create(this->Named("A", "NEW_SCU"), Audit()).status().code(),
            StatusCode::kConflict);
  EXPECT_EQ(this->facilities().Create(this->Named("C", "A_SCU"), Audit()).status().code(),
            StatusCode::kConflict);
  EXPECT_FALSE(this->facilities().FindByAeTitle("NEW_SCU")->has_value());
  EXPECT_FALSE(this->facilities().FindByCode("C")->has_value());
  EXPECT_EQ((*this->facilities().FindByAeTitle("A_SCU"))->code, "A");
}

TYPED_TEST_P(FacilityRepositoryContract, UpdateReplacesTheFieldsOfTheCode) {
  Facility f = this->Named("A", "A2_SCU");
  f.active = false;
  f.return_dicom = ReturnDicom{"pacs.a", 11112, "A_PACS"};
  auto updated = this->facilities().Update(f, Audit());
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->id, this->facility_.id);
  EXPECT_FALSE(this->facilities().FindByAeTitle("A_SCU")->has_value());  // the old title is free
  const Facility a = **this->facilities().FindByAeTitle("A2_SCU");
  EXPECT_EQ(a.id, this->facility_.id);
  EXPECT_EQ(a.aimag, "Ховд");
  EXPECT_FALSE(a.active);
  ASSERT_TRUE(a.return_dicom.has_value());
  EXPECT_EQ(a.return_dicom->port, 11112);
  EXPECT_EQ(updated->version, 2);
  f.return_dicom.reset();  // and the return address can be removed again
  f.version = updated->version;
  ASSERT_TRUE(this->facilities().Update(f, Audit()).ok());
  EXPECT_FALSE((*this->facilities().FindByCode("A"))->return_dicom.has_value());
}

TYPED_TEST_P(FacilityRepositoryContract, UpdateOfAnUnknownCodeOrOntoATakenTitleFails) {
  EXPECT_EQ(this->facilities().Update(this->Named("Z", "Z_SCU"), Audit()).status().code(),
            StatusCode::kNotFound);
  EXPECT_FALSE(this->facilities().FindByAeTitle("Z_SCU")->has_value());
  EXPECT_EQ(this->facilities().Update(this->Named("A", "B_SCU"), Audit()).status().code(),
            StatusCode::kConflict);
  EXPECT_EQ((*this->facilities().FindByCode("A"))->ae_title, "A_SCU");
}

TYPED_TEST_P(FacilityRepositoryContract, AnUpdateMergedOntoAnOlderVersionChangesNothing) {
  Facility mine = **this->facilities().FindByCode("A");
  Facility theirs = mine;
  theirs.name = "Renamed by another admin";
  auto first = this->facilities().Update(theirs, Audit());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->version, mine.version + 1);
  mine.active = false;  // merged onto the version read before the other change
  EXPECT_EQ(this->facilities().Update(mine, Audit()).status().code(),
            StatusCode::kFailedPrecondition);
  const Facility a = **this->facilities().FindByCode("A");
  EXPECT_EQ(a.name, "Renamed by another admin");
  EXPECT_TRUE(a.active);
  EXPECT_EQ(a.version, first->version);
  // The seeders' upsert moves the version on too.
  auto upserted = this->facilities().Upsert(a);
  ASSERT_TRUE(upserted.ok());
  EXPECT_EQ(upserted->version, a.version + 1);
}

TYPED_TEST_P(FacilityRepositoryContract, UpsertCreatesOrUpdatesByCode) {
  auto created = this->facilities().Upsert(this->Named("C", "C_SCU"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_NE(created->id, 0);
  Facility renamed = this->Named("C", "C2_SCU");
  renamed.name = "Renamed";
  auto updated = this->facilities().Upsert(renamed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->id, created->id);
  EXPECT_EQ((*this->facilities().FindByCode("C"))->name, "Renamed");
  EXPECT_EQ(this->facilities().Upsert(this->Named("C", "B_SCU")).status().code(),
            StatusCode::kConflict);
  EXPECT_EQ((*this->facilities().FindByCode("C"))->ae_title, "C2_SCU");
}

TYPED_TEST_P(FacilityRepositoryContract, ListIsByCodeAndUnknownsAreAbsent) {
  ASSERT_TRUE(this->facilities().Create(this->Named("0", "ZERO_SCU"), Audit()).ok());
  auto all = this->facilities().List();
  ASSERT_TRUE(all.ok());
  std::vector<std::string> codes;
  for (const Facility& f : *all) codes.push_back(f.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"0", "A", "B"}));
  EXPECT_FALSE(this->facilities().FindByCode("Z")->has_value());
  EXPECT_FALSE(this->facilities().FindByAeTitle("Z_SCU")->has_value());
}

REGISTER_TYPED_TEST_SUITE_P(FacilityRepositoryContract, CreateGivesAnIdAndStoresEveryField,
                            ATakenCodeOrAeTitleIsAConflict, UpdateReplacesTheFieldsOfTheCode,
                            UpdateOfAnUnknownCodeOrOntoATakenTitleFails,
                            AnUpdateMergedOntoAnOlderVersionChangesNothing,
                            UpsertCreatesOrUpdatesByCode, ListIsByCodeAndUnknownsAreAbsent);

}  // namespace telerad::contract
