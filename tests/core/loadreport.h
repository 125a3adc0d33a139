// The loader tests' view of a LoadReport: whether a note says something, and all notes in one
// line for a failure message.
#pragma once

#include <QString>
#include <QStringList>
#include <algorithm>
#include <string>

#include "io/loadoptions.h"

namespace testutil {

/// Whether any note of `r` contains `part`.
inline bool hasNote(const latent::LoadReport& r, const std::string& part) {
  return std::any_of(r.notes.begin(), r.notes.end(),
                     [&](const std::string& n) { return n.find(part) != std::string::npos; });
}

/// Every note of `r`, joined by " | ".
inline QString notes(const latent::LoadReport& r) {
  QStringList out;
  for (const std::string& n : r.notes) out << QString::fromStdString(n);
  return out.join(" | ");
}

}  // namespace testutil
