// CodeListService over the fake repository: search parameters, who may replace a list,
// and every check that names the line of an uploaded list (nothing replaced then).
#include "src/vocabulary/code_list_service.h"

#include <gtest/gtest.h>

#include "src/vocabulary/fold_case.h"
#include "tests/fakes/fake_code_list_repository.h"
#include "tests/test_audit.h"

namespace telerad {
namespace {

Principal As(Role role) {
  Principal p;
  p.user_id = 3;
  p.username = "someone";
  p.role = role;
  return p;
}

std::vector<CodeRow> Rows() {
  return {{2, " j18.9 ", "Хатгаа, тодорхойгүй", "Pneumonia, unspecified"},
          {3, "R51", "Толгой өвдөх", ""},
          {4, "I63.5", "", "Cerebral infarction due to unspecified occlusion or stenosis"}};
}

class CodeListServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(service_.Replace(admin_, "icd10", Rows(), "line", Audit()).ok());
    repo_.own_audit_log.entries.clear();
  }
  // The message of a refused replacement; the list must be unchanged.
  std::string Refusal(const std::vector<CodeRow>& rows, const std::string& system = "icd10") {
    auto result = service_.Replace(admin_, system, rows, "line", Audit());
    EXPECT_EQ(result.status().code(), StatusCode::kUnprocessable);
    EXPECT_EQ(repo_.codes.size(), 3u);
    EXPECT_TRUE(repo_.own_audit_log.entries.empty());
    return result.status().message();
  }

  FakeCodeListRepository repo_;
  CodeListService service_{repo_};
  const Principal admin_ = As(Role::kAdmin);
};

TEST_F(CodeListServiceTest, ReplaceNormalisesCodesTrimsTitlesAndAudits) {
  AuditEntry entry;
  auto count = service_.Replace(admin_, "icd11",
                                {{1, "ca40.0", "  Бактерийн хатгаа ", "Bacterial pneumonia"}},
                                "item", entry);
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, 1);
  EXPECT_EQ(entry.detail, "codes=1");
  EXPECT_EQ(repo_.own_audit_log.entries.size(), 1u);
  const DiagnosisCode& c = repo_.codes.at({"icd11", "CA40.0"});
  EXPECT_EQ(c.title_mn, "Бактерийн хатгаа");
  EXPECT_EQ(c.system, IcdSystem::kIcd11);
  EXPECT_EQ(repo_.codes.at({"icd10", "J18.9"}).title_en, "Pneumonia, unspecified");
}

TEST_F(CodeListServiceTest, EveryBadRowIsNamedByItsLineAndNothingIsReplaced) {
  std::vector<CodeRow> rows = Rows();
  rows[1].code = "CA40.0";  // ICD-11 in the ICD-10 list
  EXPECT_EQ(Refusal(rows), "line 3: not an ICD-10 code: CA40.0");
  rows = Rows();
  rows[2].code = "J18.9";
  EXPECT_EQ(Refusal(rows), "line 4: code J18.9 repeats line 2");
  rows = Rows();
  rows[0].title_mn = "";
  rows[0].title_en = " ";
  EXPECT_EQ(Refusal(rows), "line 2: needs 'title_mn' or 'title_en'");
  rows = Rows();
  rows[1].title_en = std::string(501, 'a');
  EXPECT_EQ(Refusal(rows), "line 3: 'title_en' is longer than 500 bytes");
  rows = Rows();
  rows[2].title_mn = "a\nb";
  EXPECT_EQ(Refusal(rows), "line 4: 'title_mn' contains control characters");
  rows = Rows();
  rows[0].code = "<script>alert(1)</script>";  // never echoed
  EXPECT_EQ(Refusal(rows), "line 2: not an ICD-10 code");
  EXPECT_EQ(Refusal({{2, "J18.9", "", "Pneumonia"}}, "icd11"), "line 2: not an ICD-11 code: J18.9");
  EXPECT_EQ(Refusal({}), "a code list needs at least one code");
  EXPECT_EQ(Refusal(std::vector<CodeRow>(kMaxCodeListSize + 1, Rows()[1])),
            "a code list holds at most 50000 codes");
}

TEST_F(CodeListServiceTest, OnlyAdminsReplaceAndOnlyKnownSystems) {
  for (Role role : {Role::kRadiologist, Role::kFacility, Role::kMinistry, Role::kSpecialist})
    EXPECT_EQ(service_.Replace(As(role), "icd10", Rows(), "line", Audit()).status().code(),
              StatusCode::kPermissionDenied);
  EXPECT_EQ(service_.Replace(admin_, "icd9", Rows(), "line", Audit()).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(repo_.codes.size(), 3u);
}

TEST_F(CodeListServiceTest, EveryRoleSearchesWithFoldedWords) {
  for (Role role :
       {Role::kAdmin, Role::kRadiologist, Role::kFacility, Role::kMinistry, Role::kSpecialist}) {
    auto found = service_.Search(As(role), std::string("icd10"), "  ХАТГАА\t ", std::nullopt);
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    ASSERT_EQ(found->size(), 1u);
    EXPECT_EQ((*found)[0].code, "J18.9");
  }
  auto by_code = service_.Search(admin_, std::nullopt, "j18", 1);
  ASSERT_TRUE(by_code.ok());
  ASSERT_EQ(by_code->size(), 1u);
  auto everything = service_.Search(admin_, std::nullopt, "", std::nullopt);
  ASSERT_TRUE(everything.ok());
  EXPECT_EQ(everything->size(), 3u);
}

TEST_F(CodeListServiceTest, BadSearchParametersAreInvalidArguments) {
  auto code = [&](std::optional<std::string> system, const std::string& text,
                  std::optional<int> limit) {
    return service_.Search(admin_, system, text, limit).status().code();
  };
  EXPECT_EQ(code(std::string("icd9"), "j18", std::nullopt), StatusCode::kInvalidArgument);
  EXPECT_EQ(code(std::nullopt, "j18", 0), StatusCode::kInvalidArgument);
  EXPECT_EQ(code(std::nullopt, "j18", 51), StatusCode::kInvalidArgument);
  EXPECT_EQ(code(std::nullopt, "j18", 50), StatusCode::kOk);
  EXPECT_EQ(code(std::nullopt, std::string(101, 'a'), std::nullopt), StatusCode::kInvalidArgument);
  EXPECT_EQ(code(std::nullopt, "a b c d e f g h i", std::nullopt), StatusCode::kInvalidArgument);
  EXPECT_EQ(code(std::nullopt, "a b c d e f g h", std::nullopt), StatusCode::kOk);
}

TEST(ReadCodeListCsv, ReadsQuotedFieldsCrlfAndABom) {
  auto rows = ReadCodeListCsv(
      "\xEF\xBB\xBF"
      "Code,Title_MN,Title_EN\r\n"
      "J18.9,\"Хатгаа, тодорхойгүй\",\"Pneumonia, unspecified\"\r\n"
      "\r\n"
      "R51,Толгой өвдөх,\"Headache \"\"cephalalgia\"\"\"\n"
      "S06.5,\"Хатуу хальсан доорх\nцус хуралт\",Traumatic subdural haemorrhage\n"
      "M54.1,,Radiculopathy");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0].line, 2);
  EXPECT_EQ((*rows)[0].title_mn, "Хатгаа, тодорхойгүй");
  EXPECT_EQ((*rows)[0].title_en, "Pneumonia, unspecified");
  EXPECT_EQ((*rows)[1].line, 4);
  EXPECT_EQ((*rows)[1].title_en, "Headache \"cephalalgia\"");
  EXPECT_EQ((*rows)[2].line, 5);
  EXPECT_EQ((*rows)[2].title_mn, "Хатуу хальсан доорх\nцус хуралт");
  EXPECT_EQ((*rows)[3].line, 7);  // the quoted line break counts
  EXPECT_EQ((*rows)[3].title_mn, "");
}

TEST(ReadCodeListCsv, NamesTheLineOfEachMistake) {
  auto message = [](const std::string& text) {
    auto rows = ReadCodeListCsv(text);
    EXPECT_EQ(rows.status().code(), StatusCode::kUnprocessable);
    return rows.status().message();
  };
  const std::string header = "code,title_mn,title_en\n";
  EXPECT_EQ(message("J18.9,a,b\n"),
            "line 1: the first line must be the header code,title_mn,title_en");
  EXPECT_EQ(message(""), "line 1: the first line must be the header code,title_mn,title_en");
  EXPECT_EQ(message(header + "J18.9,a,b\nR51,a\n"),
            "line 3: expected 3 fields (code,title_mn,title_en), found 2");
  EXPECT_EQ(message(header + "R51,a,b,c\n"),
            "line 2: expected 3 fields (code,title_mn,title_en), found 4");
  EXPECT_EQ(message(header + "R51,\"a,b\n\nJ18.9,c,d\n"), "line 2: a quoted field is not closed");
  EXPECT_EQ(message(header + "R51,a\"b\",c\n"), "line 2: a quote inside an unquoted field");
  EXPECT_EQ(message(header + "R51,\"a\"b,c\n"), "line 2: text after a closing quote");
  EXPECT_TRUE(ReadCodeListCsv(header)->empty());
}

TEST(FoldCase, LowersAsciiAndCyrillicIncludingMongolianLetters) {
  EXPECT_EQ(FoldCase("J18.9 ХАТГАА"), "j18.9 хатгаа");
  EXPECT_EQ(FoldCase("ӨВДӨГ ҮЕ Ё"), "өвдөг үе ё");
  EXPECT_EQ(FoldCase("өвдөг үе"), "өвдөг үе");
  EXPECT_EQ(FoldCase("Ωmega \xD0"), "Ωmega \xD0");  // other scripts and stray bytes pass
}

}  // namespace
}  // namespace telerad
