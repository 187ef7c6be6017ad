// The conversions of src/pg/pg_row.h against what PostgreSQL really sends: integer arrays
// in their text form (the KPI statements read the facilities of a group as one).
#include "src/pg/pg_row.h"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "tests/integration/harness.h"

namespace telerad {
namespace {

std::vector<int64_t> ArrayOf(pqxx::connection& connection, const std::string& expression) {
  pqxx::nontransaction txn(connection);
  std::vector<int64_t> out = {42};  // replaced, not appended to
  IntArrayOf(txn.exec1("SELECT " + expression)[0], &out);
  return out;
}

TEST(PgRowTest, IntegerArraysReadAsPostgreSQLWritesThem) {
  testing::TestDatabase db;
  pqxx::connection connection(db.url());
  EXPECT_EQ(ArrayOf(connection, "ARRAY[1, 22, 333]::bigint[]"), (std::vector<int64_t>{1, 22, 333}));
  EXPECT_EQ(ArrayOf(connection, "ARRAY[-5, 0, 9007199254740993]::bigint[]"),
            (std::vector<int64_t>{-5, 0, 9007199254740993}));
  EXPECT_EQ(ArrayOf(connection, "ARRAY[7]::int[]"), (std::vector<int64_t>{7}));
  EXPECT_EQ(ArrayOf(connection, "'{}'::bigint[]"), std::vector<int64_t>{});
  EXPECT_EQ(ArrayOf(connection, "NULL::bigint[]"), std::vector<int64_t>{});
  EXPECT_EQ(ArrayOf(connection, "ARRAY[3, NULL, 4]::bigint[]"), (std::vector<int64_t>{3, 0, 4}));
  // What the KPI statements send: array_agg with a FILTER that matched nothing is NULL.
  EXPECT_EQ(
      ArrayOf(connection, "array_agg(x) FILTER (WHERE x > 5) FROM (VALUES (1::bigint), (2)) v (x)"),
      std::vector<int64_t>{});
}

}  // namespace
}  // namespace telerad
