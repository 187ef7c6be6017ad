// The CodeListRepository contract (src/vocabulary/code_list_repository.h): Replace swaps
// one system's whole list, search matches code prefixes and title words without case
// (Cyrillic too), ranks exact code, code prefix, title word, then the rest, and a
// replacement whose audit entry fails leaves the old list. PostgreSQL starts with the
// starter ICD-10 list of schema 0015, so each case first loads its own. Instantiate with
// an environment (contract_env.h) that also has `CodeListRepository& code_lists()`.
#pragma once

#include <string>
#include <vector>

#include "src/vocabulary/code_list_repository.h"
#include "src/vocabulary/fold_case.h"
#include "tests/contract/contract_env.h"
#include "tests/test_audit.h"

namespace telerad::contract {

template <typename Env>
class CodeListRepositoryContract : public RepositoryContract<Env> {
 protected:
  CodeListRepository& codes() { return this->env_.code_lists(); }

  static DiagnosisCode Code(IcdSystem system, const std::string& code, const std::string& mn,
                            const std::string& en) {
    return DiagnosisCode{system, code, mn, en};
  }

  void LoadIcd10() {
    const std::vector<DiagnosisCode> list = {
        Code(IcdSystem::kIcd10, "J18", "Хатгаа, үүсгэгч тодорхойгүй",
             "Pneumonia, organism unspecified"),
        Code(IcdSystem::kIcd10, "J18.0", "Гуурсан хоолойн хатгаа", "Bronchopneumonia, unspecified"),
        Code(IcdSystem::kIcd10, "J18.9", "Хатгаа, тодорхойгүй", "Pneumonia, unspecified"),
        Code(IcdSystem::kIcd10, "J12.9", "Вирусын хатгаа, тодорхойгүй",
             "Viral pneumonia, unspecified"),
        Code(IcdSystem::kIcd10, "M17.1", "Өвдөгний үений бусад анхдагч остеоартроз",
             "Other primary gonarthrosis"),
        Code(IcdSystem::kIcd10, "R51", "Толгой өвдөх", "Headache"),
        Code(IcdSystem::kIcd10, "S02.0", "Гавлын оройн ясны хугарал", "Fracture of vault of skull"),
    };
    auto count = codes().Replace(IcdSystem::kIcd10, list, Audit());
    ASSERT_TRUE(count.ok()) << count.status().ToString();
    ASSERT_EQ(*count, static_cast<int>(list.size()));
  }

  // The codes found for `text` (folded as CodeListService folds it), in order.
  std::vector<std::string> Found(const std::string& text,
                                 std::optional<IcdSystem> system = IcdSystem::kIcd10,
                                 int limit = 50) {
    CodeQuery q;
    q.system = system;
    q.text = FoldCase(text);
    q.limit = limit;
    auto found = codes().Search(q);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    std::vector<std::string> out;
    if (found.ok())
      for (const DiagnosisCode& c : *found) out.push_back(c.code);
    return out;
  }
};
TYPED_TEST_SUITE_P(CodeListRepositoryContract);

TYPED_TEST_P(CodeListRepositoryContract, ReplaceSwapsOneSystemsWholeList) {
  this->LoadIcd10();
  AuditEntry entry = this->Entry("code_list.replace", "icd11");
  auto icd11 = this->codes().Replace(
      IcdSystem::kIcd11,
      {this->Code(IcdSystem::kIcd11, "CA40.0", "Бактерийн хатгаа", "Bacterial pneumonia")}, entry);
  ASSERT_TRUE(icd11.ok()) << icd11.status().ToString();
  EXPECT_EQ(*icd11, 1);
  EXPECT_NE(entry.id, 0);
  EXPECT_EQ(this->Found("").size(), 7u);
  EXPECT_EQ(this->Found("", IcdSystem::kIcd11), (std::vector<std::string>{"CA40.0"}));

  auto again = this->codes().Replace(
      IcdSystem::kIcd10, {this->Code(IcdSystem::kIcd10, "R51", "", "Headache")}, Audit());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(this->Found(""), (std::vector<std::string>{"R51"}));
  EXPECT_EQ(this->Found("", IcdSystem::kIcd11), (std::vector<std::string>{"CA40.0"}));
  // Every system at once: by system, then code.
  EXPECT_EQ(this->Found("", std::nullopt), (std::vector<std::string>{"R51", "CA40.0"}));
  CodeQuery q;
  q.text = "r51";
  auto found = this->codes().Search(q);
  ASSERT_TRUE(found.ok() && found->size() == 1);
  EXPECT_EQ((*found)[0].system, IcdSystem::kIcd10);
  EXPECT_EQ((*found)[0].title_mn, "");
  EXPECT_EQ((*found)[0].title_en, "Headache");
  EXPECT_EQ(this->Trail("code_list.replace").size(), 1u);
}

TYPED_TEST_P(CodeListRepositoryContract, ExactCodeThenPrefixThenTitleWordThenTheRest) {
  this->LoadIcd10();
  EXPECT_EQ(this->Found("J18"), (std::vector<std::string>{"J18", "J18.0", "J18.9"}));
  EXPECT_EQ(this->Found("j18.9"), (std::vector<std::string>{"J18.9"}));
  // "pneumonia" starts a word of J12.9's, J18's and J18.9's titles, and sits inside
  // "Bronchopneumonia" (J18.0).
  EXPECT_EQ(this->Found("pneumonia"), (std::vector<std::string>{"J12.9", "J18", "J18.9", "J18.0"}));
  EXPECT_EQ(this->Found("pneumonia", IcdSystem::kIcd10, 2),
            (std::vector<std::string>{"J12.9", "J18"}));
}

TYPED_TEST_P(CodeListRepositoryContract, TitlesMatchWithoutCaseInCyrillicToo) {
  this->LoadIcd10();
  // "хатгаа" starts a word of every title that holds it: by code.
  EXPECT_EQ(this->Found("хатгаа"), (std::vector<std::string>{"J12.9", "J18", "J18.0", "J18.9"}));
  // Both words occur in three titles, never as one phrase after a word start.
  EXPECT_EQ(this->Found("ХАТГАА тодорхойгүй"), (std::vector<std::string>{"J12.9", "J18", "J18.9"}));
  EXPECT_EQ(this->Found("ӨВДӨГ"), (std::vector<std::string>{"M17.1"}));
  EXPECT_EQ(this->Found("HEADACHE"), (std::vector<std::string>{"R51"}));
  EXPECT_EQ(this->Found("skull vault"), (std::vector<std::string>{"S02.0"}));
  EXPECT_TRUE(this->Found("pneumonia skull").empty());  // every word must occur
}

TYPED_TEST_P(CodeListRepositoryContract, PatternCharactersAreLiteral) {
  this->LoadIcd10();
  EXPECT_TRUE(this->Found("%").empty());
  EXPECT_TRUE(this->Found("_").empty());
  EXPECT_TRUE(this->Found("J1_").empty());
  EXPECT_TRUE(this->Found("\\").empty());
}

TYPED_TEST_P(CodeListRepositoryContract, AReplacementWhoseAuditEntryFailsKeepsTheOldList) {
  this->LoadIcd10();
  this->env_.FailAuditAppends();
  EXPECT_FALSE(this->codes()
                   .Replace(IcdSystem::kIcd10,
                            {this->Code(IcdSystem::kIcd10, "R51", "Толгой өвдөх", "Headache")},
                            Audit())
                   .ok());
  EXPECT_EQ(this->Found("").size(), 7u);
}

REGISTER_TYPED_TEST_SUITE_P(CodeListRepositoryContract, ReplaceSwapsOneSystemsWholeList,
                            ExactCodeThenPrefixThenTitleWordThenTheRest,
                            TitlesMatchWithoutCaseInCyrillicToo, PatternCharactersAreLiteral,
                            AReplacementWhoseAuditEntryFailsKeepsTheOldList);

}  // namespace telerad::contract
