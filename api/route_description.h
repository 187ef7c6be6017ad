// DescribeRoutes: the HTTP surface as text for `telerad routes` (src/app/main.cpp). Its
// own header, with no library include: src/ sees no Pistache header. Defined with the
// route table (route_table.cpp).
#pragma once

#include <string>

namespace telerad::api {

// The route table as text, one "METHOD /path role,role" line per route (roles "public"
// for routes without a token): `telerad routes` prints it, and the role x route matrix
// test compares it with its table, so no route is added without its row.
std::string DescribeRoutes();

}  // namespace telerad::api
