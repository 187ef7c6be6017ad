// PgInstanceImages: InstanceImages on PostgreSQL (instance, instance_metadata,
// instance_pixel_layout).
#pragma once

#include "src/imaging/instance_images.h"

namespace telerad {

class PgPool;

class PgInstanceImages : public InstanceImages {
 public:
  // Registers its prepared statements on `pool`. REQUIRES: `pool` outlives this.
  explicit PgInstanceImages(PgPool& pool);

  Result<std::vector<InstanceImage>> Find(int64_t study_id, const ImageScope& scope,
                                          bool with_metadata) override;
  Result<std::optional<LocatedImage>> FindInstance(const ImageScope& scope) override;
  Status SaveDescription(int64_t instance_id, const ImageDescription& description) override;

 private:
  PgPool& pool_;
};

}  // namespace telerad
