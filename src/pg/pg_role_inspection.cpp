#include "src/pg/pg_role_inspection.h"

#include "src/pg/pg_pool.h"

namespace telerad {

Result<DatabaseRole> InspectConnectedRole(PgPool& pool) {
  DatabaseRole role;
  Status s = pool.Read([&](pqxx::nontransaction& txn) {
    // pg_has_role(..., 'MEMBER'): a role that may SET ROLE to the owner is the owner. The
    // owner of the database owns schema public (pg_database_owner) and could drop it with
    // every table in it, so it counts as an owner too.
    pqxx::row r = txn.exec1(
        "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb,"
        " pg_has_role(current_user, (SELECT relowner FROM pg_class"
        "                             WHERE oid = 'audit_event'::regclass), 'MEMBER'),"
        " pg_has_role(current_user, (SELECT datdba FROM pg_database"
        "                             WHERE datname = current_database()), 'MEMBER')"
        "   OR pg_has_role(current_user, (SELECT nspowner FROM pg_namespace"
        "                                  WHERE nspname = 'public'), 'MEMBER'),"
        " has_table_privilege('audit_event', 'UPDATE')"
        "   OR has_table_privilege('audit_event', 'DELETE')"
        "   OR has_table_privilege('audit_event', 'TRUNCATE'),"
        " has_schema_privilege('public', 'CREATE')"
        " FROM pg_roles WHERE rolname = current_user");
    role.name = r[0].as<std::string>();
    role.superuser = r[1].as<bool>();
    role.create_role = r[2].as<bool>();
    role.create_db = r[3].as<bool>();
    role.owns_tables = r[4].as<bool>();
    role.owns_database = r[5].as<bool>();
    role.can_change_audit = r[6].as<bool>();
    role.can_create_objects = r[7].as<bool>();
  });
  if (!s.ok()) return s;
  return role;
}

}  // namespace telerad
