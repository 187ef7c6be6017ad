#include "api/dicom_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace telerad::api {
namespace {

std::string Text(const DicomJsonDataset& ds) {
  std::string out;
  ds.AppendTo(out);
  return out;
}

TEST(DicomJsonTest, TagKeysAreEightUpperCaseHexDigits) {
  EXPECT_EQ(DicomTagKey(0x0020000D), "0020000D");
  EXPECT_EQ(DicomTagKey(0x00080005), "00080005");
  EXPECT_EQ(DicomTagKey(0x7FE00010), "7FE00010");
}

TEST(DicomJsonTest, AttributesComeOutInTagOrderEachWithItsVr) {
  DicomJsonDataset ds;
  ds.String(0x0020000D, "UI", "1.2.3");
  ds.String(0x00080020, "DA", "20250115");
  ds.Strings(0x00080061, "CS", {"CT", "SR"});
  EXPECT_EQ(Text(ds), R"({"00080020":{"vr":"DA","Value":["20250115"]},)"
                      R"("00080061":{"vr":"CS","Value":["CT","SR"]},)"
                      R"("0020000D":{"vr":"UI","Value":["1.2.3"]}})");
}

TEST(DicomJsonTest, EmptyValuesHaveNoValueMember) {
  DicomJsonDataset ds;
  ds.String(0x00100030, "DA", "");
  ds.Strings(0x00080061, "CS", {});
  ds.PersonName(0x00080090, "");
  ds.Integer(0x00280010, "US", std::nullopt);
  EXPECT_EQ(Text(ds), R"({"00080061":{"vr":"CS"},"00080090":{"vr":"PN"},)"
                      R"("00100030":{"vr":"DA"},"00280010":{"vr":"US"}})");
}

TEST(DicomJsonTest, PersonNameComponentGroups) {
  DicomJsonDataset ds;
  ds.PersonName(0x00100010, "Батбаяр^Дорж");
  EXPECT_EQ(Text(ds), R"({"00100010":{"vr":"PN","Value":[{"Alphabetic":"Батбаяр^Дорж"}]}})");
  DicomJsonDataset groups;
  groups.PersonName(0x00100010, "Yamada^Tarou=山田^太郎=やまだ^たろう");
  const auto json = nlohmann::json::parse(Text(groups));
  const auto& value = json["00100010"]["Value"][0];
  EXPECT_EQ(value["Alphabetic"], "Yamada^Tarou");
  EXPECT_EQ(value["Ideographic"], "山田^太郎");
  EXPECT_EQ(value["Phonetic"], "やまだ^たろう");
  // An empty group is left out, the others keep their names.
  DicomJsonDataset phonetic_only;
  phonetic_only.PersonName(0x00100010, "==やまだ");
  EXPECT_EQ(Text(phonetic_only), R"({"00100010":{"vr":"PN","Value":[{"Phonetic":"やまだ"}]}})");
}

TEST(DicomJsonTest, NumbersAreJsonNumbers) {
  DicomJsonDataset ds;
  ds.Integer(0x00201206, "IS", 3);
  ds.Integer(0x00280010, "US", 512);
  EXPECT_EQ(Text(ds),
            R"({"00201206":{"vr":"IS","Value":[3]},"00280010":{"vr":"US","Value":[512]}})");
}

TEST(DicomJsonTest, TextIsEscapedAndRawAttributesKept) {
  DicomJsonDataset ds;
  ds.String(0x00081030, "LO", "CT \"head\"\\neck");
  ds.Raw(0x00180015, R"({"vr":"CS","Value":["HEAD"]})");
  EXPECT_TRUE(ds.Has(0x00180015));
  EXPECT_FALSE(ds.Has(0x00100010));
  const auto json = nlohmann::json::parse(Text(ds));
  EXPECT_EQ(json["00081030"]["Value"][0], "CT \"head\"\\neck");
  EXPECT_EQ(json["00180015"]["Value"][0], "HEAD");
}

}  // namespace
}  // namespace telerad::api
