// The OpenAPI document and the router describe the same surface: every route the
// server installs is documented, and every documented operation is served.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>

#include "api/route_table.h"

#ifndef TELERAD_SOURCE_DIR
#error "TELERAD_SOURCE_DIR must point at the source tree"
#endif

namespace telerad::api {
namespace {

const char* Lower(Pistache::Http::Method m) {
  using Pistache::Http::Method;
  switch (m) {
    case Method::Get:
      return "get";
    case Method::Post:
      return "post";
    case Method::Put:
      return "put";
    case Method::Patch:
      return "patch";
    case Method::Delete:
      return "delete";
    default:
      return "other";
  }
}

// "get /api/v1/studies/{study_uid}" for every operation under `paths:` in the YAML.
std::set<std::string> DocumentedOperations() {
  std::ifstream in(std::string(TELERAD_SOURCE_DIR) + "/api/openapi.yaml");
  std::set<std::string> ops;
  std::string line, path;
  bool in_paths = false;
  const std::regex path_line("^  (/[^:]*):\\s*$");
  const std::regex method_line("^    (get|post|put|patch|delete):\\s*$");
  std::smatch m;
  while (std::getline(in, line)) {
    if (line == "paths:")
      in_paths = true;
    else if (!line.empty() && line[0] != ' ')
      in_paths = false;
    if (!in_paths) continue;
    if (std::regex_match(line, m, path_line))
      path = m[1];
    else if (std::regex_match(line, m, method_line))
      ops.insert(std::string(m[1]) + " " + path);
  }
  return ops;
}

TEST(OpenApiRoutesTest, DocumentAndRouterAgree) {
  std::set<std::string> served;
  for (const Route& r : AllRoutes())
    served.insert(std::string(Lower(r.method)) + " " +
                  std::regex_replace(r.path, std::regex(":([a-z_]+)"), "{$1}"));
  const std::set<std::string> documented = DocumentedOperations();
  ASSERT_FALSE(documented.empty());
  for (const auto& op : served) EXPECT_EQ(documented.count(op), 1u) << "undocumented: " << op;
  for (const auto& op : documented) EXPECT_EQ(served.count(op), 1u) << "not served: " << op;
}

}  // namespace
}  // namespace telerad::api
