#include "src/demo/demo_seeder.h"

namespace telerad {

Status SeedDemo(FacilityRepository& facilities, UserRepository& users, PasswordHasher& hasher,
                const std::string& password) {
  Facility demo;
  demo.code = "DEMO";
  demo.name = "Говь-Алтай аймгийн Нэгдсэн эмнэлэг";
  demo.aimag = "Говь-Алтай";
  demo.soum = "Есөнбулаг";
  demo.ae_title = "DEMO_SCU";
  // Like the demo accounts, the demo sender is for this machine only: its AE title is
  // printed in the README, so from anywhere else it would let anyone file studies.
  demo.allowed_networks = {"127.0.0.0/8", "::1/128"};
  auto facility = facilities.FindByAeTitle(demo.ae_title);
  if (!facility.ok()) return facility.status();
  int64_t facility_id = 0;
  if (facility->has_value()) {
    facility_id = (*facility)->id;
  } else {
    auto created = facilities.Upsert(demo);
    if (!created.ok()) return created.status();
    facility_id = created->id;
  }

  struct Account {
    const char* username;
    Role role;
  };
  for (const Account& a : {Account{"admin", Role::kAdmin}, Account{"rad1", Role::kRadiologist},
                           Account{"fac1", Role::kFacility}, Account{"ministry1", Role::kMinistry},
                           Account{"spec1", Role::kSpecialist}}) {
    auto existing = users.FindByUsername(a.username);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) continue;
    auto hash = hasher.Hash(password);
    if (!hash.ok()) return hash.status();
    UserRecord u;
    u.username = a.username;
    u.role = a.role;
    if (a.role == Role::kFacility) u.facility_id = facility_id;
    u.password_hash = *hash;
    u.demo = true;
    auto created = users.CreateIfAbsent(u);
    if (!created.ok()) return created.status();
  }
  return Status::Ok();
}

}  // namespace telerad
