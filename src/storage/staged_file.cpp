#include "src/storage/staged_file.h"

#include <utility>

#include "src/storage/file_store.h"

namespace telerad {

Result<StagedFile> FileStore::Stage() {
  auto path = NewStagingPath();
  if (!path.ok()) return path.status();
  return StagedFile(*this, std::move(*path));
}

StagedFile::~StagedFile() { Discard(); }

StagedFile::StagedFile(StagedFile&& other) noexcept
    : store_(std::exchange(other.store_, nullptr)), path_(std::move(other.path_)) {}

StagedFile& StagedFile::operator=(StagedFile&& other) noexcept {
  if (this != &other) {
    Discard();
    store_ = std::exchange(other.store_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

void StagedFile::StartWriteback() const { store_->StartWriteback(path_); }

Result<std::string> StagedFile::Commit(const std::string& key) {
  auto placed = store_->Commit(path_, key);  // if this throws, the destructor discards
  FileStore* store = std::exchange(store_, nullptr);
  // A failed commit may have left the staging file (an fsync that failed before the
  // rename); after a failed directory fsync the file is already renamed and this finds
  // nothing to remove: that file was never acknowledged nor indexed, and stays an orphan
  // (a resend is placed under a variant name, never over it; README, "Known limitations").
  if (!placed.ok()) store->Discard(path_);
  return placed;
}

Result<LandedFile> StagedFile::Land(int64_t facility_id, const std::string& key) {
  auto landed = store_->Land(path_, facility_id, key);  // if this throws, the destructor discards
  FileStore* store = std::exchange(store_, nullptr);
  // As for Commit; a file renamed into landing whose folder fsync then failed stays
  // there, unacknowledged: the settler indexes it or sets it aside, never keeps it.
  if (!landed.ok()) {
    store->Discard(path_);
    return landed.status();
  }
  return LandedFile{facility_id, *landed, LandingNameFor(facility_id, *landed)};
}

void StagedFile::Discard() {
  if (store_ != nullptr) std::exchange(store_, nullptr)->Discard(path_);
}

}  // namespace telerad
