// FoldCase: text lower-cased for case-insensitive search of code titles, as
// PostgreSQL's lower() does under the cluster's C.UTF-8 ctype for the scripts the titles
// use: ASCII and Cyrillic (Mongolian's Ө and Ү included). Other characters and bytes
// that are not UTF-8 pass through unchanged.
#pragma once

#include <string>
#include <string_view>

namespace telerad {

std::string FoldCase(std::string_view text);

}  // namespace telerad
