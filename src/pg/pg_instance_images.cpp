#include "src/pg/pg_instance_images.h"

#include "src/pg/pg_instance_description.h"
#include "src/pg/pg_pool.h"
#include "src/pg/pg_row.h"

namespace telerad {
namespace {

// One row per instance of the study, the series and the instance as optional filters
// ($2, $3 NULL: all), in the order a viewer stacks them. $4: whether to fetch the JSON
// (frames need only the layout; a series' JSON is megabytes).
constexpr const char* kFind =
    "SELECT i.id, se.series_uid, i.sop_instance_uid, i.transfer_syntax_uid, i.storage_key,"
    " CASE WHEN $4 THEN m.dicom_json END, m.instance_id IS NOT NULL,"
    " l.encapsulated, l.number_of_frames, l.value_offset, l.frame_bytes, l.fragment_offsets,"
    " l.fragment_lengths, l.frame_first_fragment"
    " FROM series se JOIN instance i ON i.series_id = se.id"
    " LEFT JOIN instance_metadata m ON m.instance_id = i.id"
    " LEFT JOIN instance_pixel_layout l ON l.instance_id = i.id"
    " WHERE se.study_id = $1 AND ($2::text IS NULL OR se.series_uid = $2)"
    " AND ($3::text IS NULL OR i.sop_instance_uid = $3)"
    " ORDER BY se.series_number NULLS LAST, se.id, i.instance_number NULLS LAST,"
    " i.sop_instance_uid";

// By the unique index on sop_instance_uid, then the instance's own series and study: a
// plan that does not depend on how many instances the study has.
constexpr const char* kFindInstance =
    "SELECT s.id, s.facility_id, i.id, se.series_uid, i.sop_instance_uid,"
    " i.transfer_syntax_uid, i.storage_key, m.instance_id IS NOT NULL,"
    " l.encapsulated, l.number_of_frames, l.value_offset, l.frame_bytes, l.fragment_offsets,"
    " l.fragment_lengths, l.frame_first_fragment"
    " FROM instance i JOIN series se ON se.id = i.series_id JOIN study s ON s.id = se.study_id"
    " LEFT JOIN instance_metadata m ON m.instance_id = i.id"
    " LEFT JOIN instance_pixel_layout l ON l.instance_id = i.id"
    " WHERE i.sop_instance_uid = $1 AND se.series_uid = $2 AND s.study_uid = $3";

}  // namespace

PgInstanceImages::PgInstanceImages(PgPool& pool) : pool_(pool) {
  pool_.Prepare("instance_images_find", kFind);
  pool_.Prepare("instance_images_find_one", kFindInstance);
}

Result<std::vector<InstanceImage>> PgInstanceImages::Find(int64_t study_id, const ImageScope& scope,
                                                          bool with_metadata) {
  std::vector<InstanceImage> images;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    images.clear();
    pqxx::result rows =
        txn.exec_prepared("instance_images_find", study_id, OrNull(scope.series_uid),
                          OrNull(scope.sop_instance_uid), with_metadata);
    images.reserve(rows.size());
    for (const auto& row : rows) {
      InstanceImage image;
      image.instance_id = row[0].as<int64_t>();
      image.series_uid = row[1].as<std::string>();
      image.sop_instance_uid = row[2].as<std::string>();
      image.transfer_syntax_uid = row[3].as<std::string>();
      image.storage_key = row[4].as<std::string>();
      if (!row[5].is_null()) image.dicom_json = row[5].as<std::string>();
      image.described = row[6].as<bool>();
      if (!row[7].is_null()) image.layout = PixelLayoutFromRow(row, 7);
      images.push_back(std::move(image));
    }
  });
  if (!s.ok()) return s;
  return images;
}

Result<std::optional<LocatedImage>> PgInstanceImages::FindInstance(const ImageScope& scope) {
  std::optional<LocatedImage> found;
  Status s = pool_.Read([&](pqxx::nontransaction& txn) {
    found.reset();
    pqxx::result rows =
        txn.exec_prepared("instance_images_find_one", scope.sop_instance_uid.value_or(""),
                          scope.series_uid.value_or(""), scope.study_uid);
    if (rows.empty()) return;
    const pqxx::row row = rows[0];
    LocatedImage located;
    located.study_id = row[0].as<int64_t>();
    located.facility_id = row[1].as<int64_t>();
    InstanceImage& image = located.image;
    image.instance_id = row[2].as<int64_t>();
    image.series_uid = row[3].as<std::string>();
    image.sop_instance_uid = row[4].as<std::string>();
    image.transfer_syntax_uid = row[5].as<std::string>();
    image.storage_key = row[6].as<std::string>();
    image.described = row[7].as<bool>();
    if (!row[8].is_null()) image.layout = PixelLayoutFromRow(row, 8);
    found = std::move(located);
  });
  if (!s.ok()) return s;
  return found;
}

Status PgInstanceImages::SaveDescription(int64_t instance_id, const ImageDescription& d) {
  return pool_.Run([&](pqxx::work& txn) {
    InsertInstanceDescription(txn, instance_id, d.dicom_json, d.layout);
  });
}

}  // namespace telerad
