// What telerad's storage SCP negotiates: storage SOP classes and transfer syntaxes.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace telerad::dicom {

// The built-in storage SOP classes (API.md: CT, Enhanced CT, CR, DX, MG, secondary
// capture, and the X-ray classes RF and XA that count as X-ray) plus `extra`.
std::set<std::string> AcceptedStorageSopClasses(const std::vector<std::string>& extra);

// Transfer syntaxes accepted for storage, in DCMTK's order of preference. Every one is stored
// exactly as received: compressed data stays compressed.
std::vector<std::string> AcceptedTransferSyntaxes();

}  // namespace telerad::dicom
