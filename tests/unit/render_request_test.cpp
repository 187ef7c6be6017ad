#include "src/imaging/render_request.h"

#include <gtest/gtest.h>

namespace telerad {

TEST(RenderRequestTest, WindowTakesCenterWidthAndAFunction) {
  auto w = ParseRenderWindow("40,400");
  ASSERT_TRUE(w.ok());
  EXPECT_DOUBLE_EQ(w->center, 40);
  EXPECT_DOUBLE_EQ(w->width, 400);
  EXPECT_EQ(w->function, VoiFunction::kLinear);
  w = ParseRenderWindow("-600.5,1500,SIGMOID");
  ASSERT_TRUE(w.ok());
  EXPECT_DOUBLE_EQ(w->center, -600.5);
  EXPECT_EQ(w->function, VoiFunction::kSigmoid);
  EXPECT_EQ(ParseRenderWindow("1,2,LINEAR_EXACT")->function, VoiFunction::kLinearExact);
  for (const char* bad : {"", "40", "40,", ",400", "40,0", "40,-1", "40,400,CUBIC", "a,b",
                          "40,400,LINEAR,1", "40 ,400", "nan,400", "1e999,4", "40,400,linear"})
    EXPECT_EQ(ParseRenderWindow(bad).status().code(), StatusCode::kInvalidArgument) << bad;
}

TEST(RenderRequestTest, ViewportIsTwoSizesAndSourceRegionsAreRefused) {
  RenderRequest r;
  ASSERT_TRUE(ParseViewport("256,128", r).ok());
  EXPECT_EQ(*r.viewport_width, 256);
  EXPECT_EQ(*r.viewport_height, 128);
  for (const char* bad :
       {"", "256", "0,10", "10,0", "-1,5", "20000,5", "1.5,2", "5,5,1,1,2,2", "a,b", "5,5,"}) {
    RenderRequest untouched;
    EXPECT_EQ(ParseViewport(bad, untouched).code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_FALSE(untouched.viewport_width) << bad;
  }
}

TEST(RenderRequestTest, QualityIsOneToHundred) {
  EXPECT_EQ(*ParseQuality("1"), 1);
  EXPECT_EQ(*ParseQuality("100"), 100);
  for (const char* bad : {"0", "101", "", "-5", "50%", "9x"})
    EXPECT_EQ(ParseQuality(bad).status().code(), StatusCode::kInvalidArgument) << bad;
}

}  // namespace telerad
