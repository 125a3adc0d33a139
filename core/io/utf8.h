// UTF-8 checks and conversions shared by the text loaders: the CSV reader's "UTF-8, else Latin-1"
// rule, and NumPy string arrays (UTF-32 code units, byte strings). Internal to core/io.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace latent {

/// Offset of the first byte in text[from, to) that does not start a valid UTF-8 sequence (a
/// sequence running past `to` is invalid), or `to` when all of it is valid.
size_t firstInvalidUtf8(std::string_view text, size_t from, size_t to);

/// `bytes` read as Latin-1 (ISO 8859-1: every byte is the code point of the same value), in UTF-8.
std::string latin1ToUtf8(std::string_view bytes);

/// True for a Unicode scalar value: at most U+10FFFF and not a surrogate (U+D800–U+DFFF), i.e.
/// what UTF-8 can encode.
constexpr bool isUnicodeScalar(char32_t c) { return c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF); }

/// Appends `c` (a Unicode scalar value: check isUnicodeScalar first) to `out` in UTF-8.
void appendUtf8(std::string& out, char32_t c);

}  // namespace latent
