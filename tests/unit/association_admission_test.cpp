#include "dicom/association_admission.h"

#include <gtest/gtest.h>

namespace telerad::dicom {
namespace {

using Verdict = AssociationAdmission::Verdict;

TEST(AssociationAdmissionTest, OneCallingAeStopsAtItsCap) {
  AssociationAdmission admission(16, 4);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(admission.TryAdmit("GREEDY"), Verdict::kAdmitted);
  EXPECT_EQ(admission.TryAdmit("GREEDY"), Verdict::kCallingAeLimit);
  EXPECT_EQ(admission.For("GREEDY"), 4);
}

TEST(AssociationAdmissionTest, AnotherCallingAeStillGetsInWhenOneIsAtItsCap) {
  AssociationAdmission admission(16, 4);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(admission.TryAdmit("GREEDY"), Verdict::kAdmitted);
  EXPECT_EQ(admission.TryAdmit("OTHER"), Verdict::kAdmitted);
  EXPECT_EQ(admission.Total(), 5);
}

TEST(AssociationAdmissionTest, TotalCapHoldsAcrossCallingAes) {
  AssociationAdmission admission(3, 2);
  EXPECT_EQ(admission.TryAdmit("A"), Verdict::kAdmitted);
  EXPECT_EQ(admission.TryAdmit("B"), Verdict::kAdmitted);
  EXPECT_EQ(admission.TryAdmit("C"), Verdict::kAdmitted);
  EXPECT_EQ(admission.TryAdmit("D"), Verdict::kTotalLimit);
  EXPECT_EQ(admission.For("D"), 0);  // a refusal counts nothing
}

TEST(AssociationAdmissionTest, CallingAeLimitIsReportedBeforeTotalLimit) {
  AssociationAdmission admission(2, 2);
  ASSERT_EQ(admission.TryAdmit("A"), Verdict::kAdmitted);
  ASSERT_EQ(admission.TryAdmit("A"), Verdict::kAdmitted);
  EXPECT_EQ(admission.TryAdmit("A"), Verdict::kCallingAeLimit);
}

TEST(AssociationAdmissionTest, ReleaseFreesTheSlotAndForgetsIdleTitles) {
  AssociationAdmission admission(2, 1);
  ASSERT_EQ(admission.TryAdmit("A"), Verdict::kAdmitted);
  EXPECT_EQ(admission.TryAdmit("A"), Verdict::kCallingAeLimit);
  admission.Release("A");
  EXPECT_EQ(admission.Total(), 0);
  EXPECT_EQ(admission.For("A"), 0);
  EXPECT_EQ(admission.TryAdmit("A"), Verdict::kAdmitted);
}

TEST(AssociationAdmissionTest, ReleasingAnUnknownTitleChangesNothing) {
  AssociationAdmission admission(2, 1);
  ASSERT_EQ(admission.TryAdmit("A"), Verdict::kAdmitted);
  admission.Release("NEVER_ADMITTED");
  EXPECT_EQ(admission.Total(), 1);
}

}  // namespace
}  // namespace telerad::dicom
