#include <gtest/gtest.h>

#include "src/storage/file_store.h"

namespace telerad {

TEST(StorageKeyTest, BuildsStudySeriesInstancePath) {
  auto key = StorageKeyFor("1.2.3", "1.2.3.4", "1.2.3.4.5");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(*key, "1.2.3/1.2.3.4/1.2.3.4.5.dcm");
}

TEST(StorageKeyTest, RefusesAnyInvalidUid) {
  EXPECT_EQ(StorageKeyFor("..", "1.2", "1.3").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(StorageKeyFor("1.2", "1.2/../../x", "1.3").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(StorageKeyFor("1.2", "1.3", "").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace telerad
