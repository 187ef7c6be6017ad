// Small text helpers shared by the services. Pure functions, safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace telerad {

// `text` without leading and trailing ASCII white space (space, \t, \n, \v, \f, \r).
// Other bytes, UTF-8 included, are kept as they are.
std::string Trimmed(std::string_view text);

}  // namespace telerad
