// How the loaders word what they refuse: the file (or the array inside it) in quotes, a colon,
// then the problem in plain words ("'x.npy': shape (3,) is not a dataset").
#pragma once

#include <string>

#include "data/types.h"

namespace latent {

/// 'text': how messages name a file, array or field.
/// Built by appending: GCC 12 warns falsely (-Wrestrict, bug 105329) on "'" + text + "'".
inline std::string inQuotes(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out += text;
  out += '\'';
  return out;
}

/// Throws Error(code, "WHERE: WHAT"), WHERE already worded ("'f.npz' array 'y'").
[[noreturn]] inline void failAt(Error::Code code, const std::string& where,
                                const std::string& what) {
  throw Error(code, where + ": " + what);
}

/// Throws Error(code, "'PATH': WHAT").
[[noreturn]] inline void failIn(Error::Code code, const std::string& path,
                                const std::string& what) {
  failAt(code, inQuotes(path), what);
}

}  // namespace latent
