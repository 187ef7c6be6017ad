#include "src/base/model.h"

#include <gtest/gtest.h>

namespace telerad {

TEST(ModelTest, ClassifiesModalitiesAsTheMinistryCountsThem) {
  EXPECT_EQ(ClassifyModality("CT"), ModalityClass::kCt);
  for (const char* m : {"CR", "DX", "DR", "MG", "RF", "XA"})
    EXPECT_EQ(ClassifyModality(m), ModalityClass::kXray) << m;
  for (const char* m : {"MR", "US", "OT", "", "ct"})
    EXPECT_EQ(ClassifyModality(m), ModalityClass::kOther) << m;
}

TEST(ModelTest, NamesRoundTrip) {
  for (auto s : {StudyStatus::kReceiving, StudyStatus::kReady, StudyStatus::kClaimed,
                 StudyStatus::kReported, StudyStatus::kCancelled})
    EXPECT_EQ(ParseStudyStatus(ToString(s)), s);
  for (auto p : {Priority::kStat, Priority::kUrgent, Priority::kRoutine})
    EXPECT_EQ(ParsePriority(ToString(p)), p);
  EXPECT_FALSE(ParseRole("root").has_value());
  for (auto c : {ConsultationStatus::kRequested, ConsultationStatus::kAccepted,
                 ConsultationStatus::kCompleted, ConsultationStatus::kCancelled,
                 ConsultationStatus::kNoShow})
    EXPECT_EQ(ParseConsultationStatus(ToString(c)), c);
  EXPECT_STREQ(ToString(ConsultationStatus::kNoShow), "no_show");
  EXPECT_FALSE(ParseConsultationStatus("no-show").has_value());
}

}  // namespace telerad
